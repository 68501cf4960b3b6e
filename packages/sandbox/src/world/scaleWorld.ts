import { createHash } from 'node:crypto';
import {
  CHECKOV_NEW_FAILURES,
  checkovBaselineFindings,
} from './checkovFindings';
import { ingestSarif } from './codeScanningIngest';
import { REUSABLE_WORKFLOWS, WORKFLOW_NAME, WORKFLOW_PATH } from './pipeline';
import { ProductionReview, scheduleAttempt } from './pipelineRuns';
import {
  EnvironmentRecord,
  GateKey,
  JobContext,
  RepositoryRecord,
  RunRecord,
  WorldState,
} from './records';
import {
  addCommit,
  addEnvironment,
  addRepository,
  addRun,
  addWorkflow,
  jobsOfRun,
} from './repositoryIndex';
import { checkovSarif } from './sarif';
import { SeededRandom } from './seededRandom';
import { REPOSITORY_OWNER } from './seedRepository';
import { qualityGateConditions } from './sonarSeed';
import { iso } from './timestamps';

/*
 * An organisation at scale: N generated services beside the seeded titanic-service, each a
 * repository of acme-corp with the golden path's pipeline, a few weeks of runs (most passed, some
 * failed at a gate, the newest main run of some waiting for production approval), the deployments
 * those runs made and code-scanning alerts. Runs go through the same scheduler as the seeded
 * history (scheduleAttempt), so re-runs and approvals through the REST API work on them too.
 * Deterministic for a seed. Job logs are cut to a few lines: a thousand services' full logs would
 * be most of the sandbox's memory.
 */

export interface ScaleWorldOptions {
  /** How many services to add. */
  services: number;
  /** Default 1: the same seed generates the same organisation. */
  seed?: number;
  /** Runs per service (default 6). */
  runsPerService?: number;
  /** The newest run starts an hour before this (default: now). */
  endsAt?: number;
}

/** One generated service: its repository and the runs a changer can act on. */
export interface ScaleService {
  owner: string;
  name: string;
  repositoryId: number;
  /** Completed runs that failed at a gate, newest first: their failed jobs can be re-run. */
  failedRunIds: number[];
  /** Runs whose production deployment waits for a reviewer (bob or titanic-maintainers). */
  waitingRunIds: number[];
}

/** The repository name of the generated service `index`. */
export function scaleServiceName(index: number): string {
  return `scale-service-${index}`;
}

/** Generated repositories' ids: far from the seeded one and from those created through the API. */
const FIRST_REPOSITORY_ID = 600_000_000;
const FAILING_GATES: readonly GateKey[] = [
  'checkov',
  'sonarcloud',
  'tests',
  'trivy',
];
const ACTORS = ['alice', 'bob', 'carol', 'dave'] as const;
const LOG_LINES_KEPT = 8;
const HOUR = 3_600_000;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function repositoryRecord(index: number, createdAt: string): RepositoryRecord {
  return {
    id: FIRST_REPOSITORY_ID + index,
    owner: REPOSITORY_OWNER,
    name: scaleServiceName(index),
    description: `Generated service ${index} of the scale world`,
    defaultBranch: 'main',
    branches: ['main', 'develop'],
    private: true,
    language: 'TypeScript',
    topics: ['scale'],
    createdAt,
    updatedAt: createdAt,
    pushedAt: createdAt,
  };
}

function environments(
  state: WorldState,
  repository: RepositoryRecord,
): EnvironmentRecord[] {
  return (['dev', 'staging', 'production'] as const).map(name => {
    state.sequences.environment += 1;
    return {
      id: state.sequences.environment,
      repositoryId: repository.id,
      name,
      createdAt: repository.createdAt,
      updatedAt: repository.createdAt,
      waitTimer: 0,
      // bob holds the sandbox's developer token: a reviewer who is not the portal.
      reviewers:
        name === 'production'
          ? [
              { type: 'User', name: 'bob' },
              { type: 'Team', name: 'titanic-maintainers' },
            ]
          : [],
      preventSelfReview: false,
      protectedBranchesOnly: name !== 'dev',
      url: `https://${repository.name}-${name}.acme-corp.example`,
    };
  });
}

function jobContext(
  repository: RepositoryRecord,
  branch: string,
  sha: string,
  actor: string,
  date: string,
  failingGate: GateKey | null,
): JobContext {
  return {
    repository: `${repository.owner}/${repository.name}`,
    branch,
    headSha: sha,
    commitAuthor: actor,
    commitDate: date,
    imageTag: `sha-${sha.slice(0, 7)}`,
    leaks: [],
    checkovFailures: failingGate === 'checkov' ? CHECKOV_NEW_FAILURES : [],
    checkovPassed: 61,
    coverage: {
      statements: failingGate === 'tests' ? 61.2 : 83.5,
      branches: 72.1,
      functions: 80.4,
      lines: 82.9,
    },
    flakyTest: false,
    vulnerabilities: [],
    sonarProjectKey: `${repository.owner}_${repository.name}`,
    sonarConditions: qualityGateConditions(
      failingGate === 'sonarcloud' ? 41 : 86.4,
    ),
    sonarGate: failingGate === 'sonarcloud' ? 'ERROR' : 'OK',
    commitsScanned: 1,
  };
}

/** Keeps the last lines of each job's log: enough for a failure's reason, little memory. */
function trimLogs(state: WorldState, run: RunRecord): void {
  for (const job of jobsOfRun(state, run.id)) {
    const lines = job.log.split('\n');
    if (lines.length > LOG_LINES_KEPT + 1)
      job.log = lines.slice(-LOG_LINES_KEPT - 1).join('\n');
  }
}

function addService(
  state: WorldState,
  index: number,
  random: SeededRandom,
  runs: number,
  endsAt: number,
): ScaleService {
  const firstRunAt = endsAt - 30 * 24 * HOUR;
  const repository = repositoryRecord(index, iso(firstRunAt - 24 * HOUR));
  addRepository(state, repository);
  state.sequences.workflow += 1;
  const workflowId = state.sequences.workflow;
  addWorkflow(state, {
    id: workflowId,
    repositoryId: repository.id,
    name: WORKFLOW_NAME,
    path: WORKFLOW_PATH,
    createdAt: repository.createdAt,
    updatedAt: repository.createdAt,
  });
  for (const environment of environments(state, repository))
    addEnvironment(state, environment);

  const service: ScaleService = {
    owner: repository.owner,
    name: repository.name,
    repositoryId: repository.id,
    failedRunIds: [],
    waitingRunIds: [],
  };
  // A third of the services have their newest main run waiting for production approval.
  const waitsForApproval = random.next() < 0.34;
  let parent: string | null = null;
  for (let r = 0; r < runs; r++) {
    const newest = r === runs - 1;
    const branch = newest || r % 2 === 1 ? 'main' : 'develop';
    const createdAt =
      firstRunAt + ((endsAt - HOUR - firstRunAt) * (r + 1)) / runs;
    const actor = random.pick(ACTORS);
    const sha = sha1(`${repository.name} commit ${r}`);
    const date = iso(createdAt - 40_000);
    const failingGate =
      !(newest && waitsForApproval) && random.next() < 0.25
        ? random.pick(FAILING_GATES)
        : null;
    addCommit(state, {
      repositoryId: repository.id,
      sha,
      treeSha: sha1(`tree ${sha}`),
      message: `Change ${r} of ${repository.name}`,
      authorLogin: actor,
      date,
      parents: parent ? [parent] : [],
      branches: [branch],
    });
    parent = sha;
    state.sequences.run += 1;
    state.sequences.checkSuite += 1;
    const run: RunRecord = {
      id: state.sequences.run,
      repositoryId: repository.id,
      runNumber: r + 1,
      runAttempt: 1,
      workflowId,
      name: WORKFLOW_NAME,
      displayTitle: `Change ${r} of ${repository.name}`,
      branch,
      headSha: sha,
      event: 'push',
      status: 'queued',
      conclusion: null,
      actorLogin: actor,
      triggeringActorLogin: actor,
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt),
      runStartedAt: iso(createdAt),
      checkSuiteId: state.sequences.checkSuite,
      pullRequestNumber: null,
      failingGate,
      flaky: false,
      context: jobContext(repository, branch, sha, actor, date, failingGate),
      referencedWorkflows: REUSABLE_WORKFLOWS,
    };
    addRun(state, run);
    const production: ProductionReview =
      newest && waitsForApproval
        ? { decision: 'waiting' }
        : {
            decision: 'approved',
            reviewer: 'alice',
            comment: 'Ship it.',
            at: createdAt + 35 * 60_000,
          };
    scheduleAttempt(state, run, {
      startAt: createdAt,
      timeScale: 1,
      production,
    });
    trimLogs(state, run);
    if (run.status === 'waiting') service.waitingRunIds.unshift(run.id);
    else if (run.conclusion === 'failure') service.failedRunIds.unshift(run.id);
  }

  // What Checkov reported on the newest commit of main: the baseline and, for some, new findings.
  const head = parent!;
  const findings = [
    ...checkovBaselineFindings().filter(() => random.next() < 0.5),
    ...CHECKOV_NEW_FAILURES.filter(() => random.next() < 0.2),
  ];
  ingestSarif(state, checkovSarif(findings), {
    repositoryId: repository.id,
    ref: 'refs/heads/main',
    commitSha: head,
    at: iso(endsAt - HOUR),
    workflowPath: WORKFLOW_PATH,
  });
  return service;
}

/**
 * Adds `options.services` generated services (acme-corp/scale-service-0, -1, …) to a world's
 * state, e.g. `addScaleServices(sandbox.world.state, { services: 1000 })` before serving it.
 */
export function addScaleServices(
  state: WorldState,
  options: ScaleWorldOptions,
): ScaleService[] {
  const random = new SeededRandom(options.seed ?? 1);
  const endsAt = options.endsAt ?? Date.now();
  const runs = options.runsPerService ?? 6;
  const first = state.generatedRepositories?.length ?? 0;
  return Array.from({ length: options.services }, (_, i) =>
    addService(state, first + i, random, runs, endsAt),
  );
}
