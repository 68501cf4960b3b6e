import { createHash } from 'node:crypto';
import {
  CommitRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  JobContext,
  RepositoryRecord,
  RunRecord,
  WorkflowRecord,
  WorldState,
} from '../world/records';
import { SeededRandom } from '../world/seededRandom';
import { iso } from '../world/timestamps';

/*
 * Ninety days of production history for several services besides titanic-service, so the
 * portal's delivery insights have something to measure locally: commits with their times,
 * pipeline runs (some failing), production deployments with their statuses, failed deployments
 * retried, automatic rollbacks by the pipeline, fixes deployed soon after a bad change, a
 * redeploy of the live commit, a deploy of many commits and a commit from a skewed clock.
 * Deterministic for a given end time; the sandbox ends it when it starts, so the last 7, 30 and
 * 90 days are always populated.
 */

export const HISTORY_OWNER = 'acme-corp';
export const HISTORY_DAYS = 90;
export const HISTORY_ENVIRONMENT = 'production';

export interface ServiceProfile {
  name: string;
  title: string;
  description: string;
  /** The team that owns it (a slug of the organisation's teams). */
  team: 'titanic-team' | 'platform-team';
  /** Mean hours between production deployments. */
  everyHours: number;
  /** Commits per deployment, at least and at most. */
  commits: [number, number];
  /** Hours from a commit to its deployment, at least and at most. */
  leadHours: [number, number];
  /** Share of deployments that fail. */
  failureRate: number;
  /** Hours until a failure is restored, at least and at most. */
  restoreHours: [number, number];
  /** Share of pipeline runs that fail a gate (no deployment follows). */
  gateFailureRate: number;
}

/** One service's repository with its history, served like the seeded repository's. */
export interface ServiceHistoryRecord {
  profile: ServiceProfile;
  repository: RepositoryRecord;
  commits: CommitRecord[];
  workflows: WorkflowRecord[];
  runs: RunRecord[];
  environments: EnvironmentRecord[];
  deployments: DeploymentRecord[];
}

/** The world's state with the services' histories beside the seeded repository (in snapshots too). */
export interface HistoryWorldState extends WorldState {
  serviceHistories?: ServiceHistoryRecord[];
}

/** The services, from a daily-deploying team to one that ships once a month. */
export const SERVICE_PROFILES: readonly ServiceProfile[] = [
  {
    name: 'passenger-search',
    title: 'Passenger search',
    description: 'Full-text search over the passenger manifest.',
    team: 'titanic-team',
    everyHours: 16,
    commits: [1, 3],
    leadHours: [1, 9],
    failureRate: 0.05,
    restoreHours: [0.3, 0.9],
    gateFailureRate: 0.1,
  },
  {
    name: 'lifeboat-roster',
    title: 'Lifeboat roster',
    description: 'Assigns passengers to lifeboats and prints the roster.',
    team: 'titanic-team',
    everyHours: 60,
    commits: [2, 6],
    leadHours: [20, 90],
    failureRate: 0.12,
    restoreHours: [2, 10],
    gateFailureRate: 0.2,
  },
  {
    name: 'manifest-importer',
    title: 'Manifest importer',
    description: 'Imports passenger manifests from the port authorities.',
    team: 'titanic-team',
    everyHours: 150,
    commits: [4, 12],
    leadHours: [100, 400],
    failureRate: 0.25,
    restoreHours: [20, 60],
    gateFailureRate: 0.3,
  },
  {
    name: 'harbour-gateway',
    title: 'Harbour gateway',
    description: 'The edge gateway in front of every passenger API.',
    team: 'platform-team',
    everyHours: 30,
    commits: [1, 4],
    leadHours: [4, 30],
    failureRate: 0.1,
    restoreHours: [0.5, 4],
    gateFailureRate: 0.15,
  },
  {
    name: 'telegraph-notifier',
    title: 'Telegraph notifier',
    description: 'Sends departure and arrival notices.',
    team: 'platform-team',
    everyHours: 400,
    commits: [8, 20],
    leadHours: [300, 900],
    failureRate: 0.4,
    restoreHours: [30, 200],
    gateFailureRate: 0.35,
  },
];

const HOUR = 3600 * 1000;
const AUTHORS = ['alice', 'bob', 'carol', 'dave'];
const SUBJECTS = [
  'Add paging to the search results',
  'Tune the connection pool',
  'Log slow queries',
  'Retry the upstream call once',
  'Update dependencies',
  'Cache the manifest index',
  'Validate the request body',
  'Expose a readiness probe',
  'Shorten the request timeout',
  'Add a metric for queue depth',
];

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function minimalContext(repository: string, commit: CommitRecord): JobContext {
  return {
    repository,
    branch: 'main',
    headSha: commit.sha,
    commitAuthor: commit.authorLogin,
    commitDate: commit.date,
    imageTag: `sha-${commit.sha.slice(0, 7)}`,
    leaks: [],
    checkovFailures: [],
    checkovPassed: 0,
    coverage: { statements: 80, branches: 70, functions: 80, lines: 80 },
    flakyTest: false,
    vulnerabilities: [],
    sonarProjectKey: '',
    sonarConditions: [],
    sonarGate: 'OK',
    commitsScanned: 1,
  };
}

/** Builds one service's history; `index` keeps ids apart from other services'. */
function serviceHistory(
  profile: ServiceProfile,
  index: number,
  end: number,
): ServiceHistoryRecord {
  const random = new SeededRandom(7_919 * (index + 1));
  const full = `${HISTORY_OWNER}/${profile.name}`;
  const start = end - HISTORY_DAYS * 24 * HOUR;
  const ids = {
    repository: 830_000_000 + index,
    workflow: 119_000_000 + index,
    environment: 4_300_000_000 + index,
    run: 13_000_000_000 + index * 10_000_000,
    deployment: 1_950_000_000 + index * 1_000_000,
    status: 3_900_000_000 + index * 10_000_000,
    checkSuite: 30_000_000_000 + index * 10_000_000,
  };
  const repository: RepositoryRecord = {
    id: ids.repository,
    owner: HISTORY_OWNER,
    name: profile.name,
    description: profile.description,
    defaultBranch: 'main',
    branches: ['main'],
    private: true,
    language: 'TypeScript',
    topics: ['titanic'],
    createdAt: iso(start - 30 * 24 * HOUR),
    updatedAt: iso(end - HOUR),
    pushedAt: iso(end - HOUR),
  };
  const workflow: WorkflowRecord = {
    id: ids.workflow,
    repositoryId: repository.id,
    name: 'Pipeline',
    path: '.github/workflows/pipeline.yml',
    createdAt: repository.createdAt,
    updatedAt: repository.createdAt,
  };
  const environment: EnvironmentRecord = {
    id: ids.environment,
    repositoryId: repository.id,
    name: HISTORY_ENVIRONMENT,
    createdAt: repository.createdAt,
    updatedAt: repository.createdAt,
    waitTimer: 0,
    reviewers: [],
    preventSelfReview: false,
    protectedBranchesOnly: true,
    url: `https://${profile.name}.acme-corp.example`,
  };
  const commits: CommitRecord[] = [];
  const runs: RunRecord[] = [];
  const deployments: DeploymentRecord[] = [];

  const addCommit = (at: number, message: string): CommitRecord => {
    const parent = commits[commits.length - 1];
    const sha = sha1(`${full} ${commits.length} ${message}`);
    const commit: CommitRecord = {
      repositoryId: repository.id,
      sha,
      treeSha: sha1(`tree ${sha}`),
      message,
      authorLogin: random.pick(AUTHORS),
      date: iso(at),
      parents: parent ? [parent.sha] : [],
      branches: ['main'],
    };
    commits.push(commit);
    return commit;
  };
  const addRun = (
    commit: CommitRecord,
    at: number,
    conclusion: 'success' | 'failure',
  ): RunRecord => {
    ids.run += 1 + random.integer(0, 30);
    ids.checkSuite += 7;
    const run: RunRecord = {
      id: ids.run,
      repositoryId: repository.id,
      runNumber: runs.length + 1,
      runAttempt: 1,
      workflowId: workflow.id,
      name: workflow.name,
      displayTitle: commit.message.split('\n')[0],
      branch: 'main',
      headSha: commit.sha,
      event: 'push',
      status: 'completed',
      conclusion,
      actorLogin: commit.authorLogin,
      triggeringActorLogin: commit.authorLogin,
      createdAt: iso(at),
      updatedAt: iso(at + 12 * 60_000),
      runStartedAt: iso(at),
      checkSuiteId: ids.checkSuite,
      pullRequestNumber: null,
      failingGate: conclusion === 'failure' ? 'tests' : null,
      flaky: false,
      context: minimalContext(full, commit),
      referencedWorkflows: [],
    };
    runs.push(run);
    return run;
  };
  const addDeployment = (options: {
    commit: CommitRecord;
    at: number;
    outcome: 'success' | 'failure' | 'error';
    run: RunRecord | null;
    task?: string;
    description?: string;
  }): DeploymentRecord => {
    ids.deployment += 1 + random.integer(0, 20);
    const logUrl = options.run
      ? `https://github.com/${full}/actions/runs/${options.run.id}`
      : '';
    const status = (
      state: DeploymentStatusRecord['state'],
      minutes: number,
    ): DeploymentStatusRecord => {
      ids.status += 1 + random.integer(0, 5);
      return {
        id: ids.status,
        state,
        creatorLogin: 'titanic-portal-bot',
        description: state === 'failure' ? 'Rollout did not become ready' : '',
        environmentUrl: state === 'success' ? environment.url : '',
        logUrl,
        createdAt: iso(options.at + minutes * 60_000),
      };
    };
    const finished = 4 + random.integer(0, 10);
    const deployment: DeploymentRecord = {
      id: ids.deployment,
      repositoryId: repository.id,
      sha: options.commit.sha,
      ref: 'main',
      task: options.task ?? 'deploy',
      environment: HISTORY_ENVIRONMENT,
      description: options.description ?? null,
      creatorLogin: 'titanic-portal-bot',
      payload: {},
      productionEnvironment: true,
      runId: options.run?.id ?? null,
      imageTag: `sha-${options.commit.sha.slice(0, 7)}`,
      createdAt: iso(options.at),
      updatedAt: iso(options.at + finished * 60_000),
      statuses: [
        status('queued', 0),
        status('in_progress', 1),
        status(options.outcome, finished),
      ],
    };
    deployments.push(deployment);
    return deployment;
  };

  // Something was live before the ninety days began.
  const first = addCommit(start - 40 * HOUR, 'Initial production release');
  let live = first;
  addDeployment({
    commit: first,
    at: start - 30 * HOUR,
    outcome: 'success',
    run: addRun(first, start - 31 * HOUR, 'success'),
  });

  let deploymentCount = 0;
  // The last deployment finishes well before the end, so every status is visible.
  for (
    let t = start + profile.everyHours * HOUR * (0.5 + random.next());
    t <= end - 3 * HOUR;
    t += profile.everyHours * HOUR * (0.5 + random.next())
  ) {
    deploymentCount += 1;
    // A gate fails now and then: a run without a deployment.
    if (random.next() < profile.gateFailureRate) {
      const broken = addCommit(t - 2 * HOUR, random.pick(SUBJECTS));
      addRun(broken, t - 2 * HOUR + 60_000, 'failure');
    }
    const many = deploymentCount === 7;
    const count = many ? 42 : random.integer(...profile.commits);
    const deployedAt = t;
    const lead = () =>
      (profile.leadHours[0] +
        random.next() * (profile.leadHours[1] - profile.leadHours[0])) *
      HOUR;
    const times = Array.from({ length: count }, () => deployedAt - lead()).sort(
      (a, b) => a - b,
    );
    // One commit of the fourth deployment comes from a laptop whose clock runs an hour fast.
    if (deploymentCount === 4) times[times.length - 1] = t + 2 * HOUR;
    let head = commits[commits.length - 1];
    for (const at of times) head = addCommit(at, random.pick(SUBJECTS));
    const run = addRun(head, t - 20 * 60_000, 'success');

    // The tenth deployment is a redeploy of the live commit (a node pool was replaced).
    if (deploymentCount === 10) {
      addDeployment({
        commit: live,
        at: t - 60 * 60_000,
        outcome: 'success',
        run: null,
        description: 'Redeploy after node pool replacement',
      });
    }
    const fails = random.next() < profile.failureRate;
    const restore =
      (profile.restoreHours[0] +
        random.next() * (profile.restoreHours[1] - profile.restoreHours[0])) *
      HOUR;
    const mode = random.integer(0, 2);
    if (!fails) {
      addDeployment({ commit: head, at: t, outcome: 'success', run });
      live = head;
      continue;
    }
    if (mode === 0) {
      // The rollout fails; the same commit is deployed again once the cause is fixed outside it.
      addDeployment({ commit: head, at: t, outcome: 'failure', run });
      addDeployment({
        commit: head,
        at: t + restore,
        outcome: 'success',
        run,
        description: 'Retry after raising the memory limit',
      });
      live = head;
    } else if (mode === 1) {
      // It goes live, the smoke tests fail, and the pipeline rolls production back.
      addDeployment({ commit: head, at: t, outcome: 'success', run });
      addDeployment({
        commit: live,
        at: t + restore - 5 * 60_000,
        outcome: 'success',
        run,
        task: 'deploy:rollback',
        description: 'Automatic rollback: smoke tests failed',
      });
    } else {
      // It goes live with a bug, fixed by a new commit deployed soon after.
      addDeployment({ commit: head, at: t, outcome: 'success', run });
      const fixedAt = t + Math.min(restore, 20 * HOUR);
      const fix = addCommit(
        fixedAt - 30 * 60_000,
        `Fix ${random.pick(SUBJECTS).toLowerCase()}`,
      );
      addDeployment({
        commit: fix,
        at: fixedAt,
        outcome: 'success',
        run: addRun(fix, fixedAt - 25 * 60_000, 'success'),
      });
      live = fix;
      t += Math.min(restore, 20 * HOUR);
    }
    // After a rollback the old commit stays live; the next deployment ships the bad commits again.
  }
  return {
    profile,
    repository,
    commits,
    workflows: [workflow],
    runs,
    environments: [environment],
    deployments,
  };
}

/** Every service's history, ending at `end` (epoch ms). */
export function seedServiceHistories(end: number): ServiceHistoryRecord[] {
  // Whole minutes, so GitHub's second-precision times say exactly what was generated.
  const endMinute = Math.floor(end / 60_000) * 60_000;
  return SERVICE_PROFILES.map((profile, index) =>
    serviceHistory(profile, index, endMinute),
  );
}
