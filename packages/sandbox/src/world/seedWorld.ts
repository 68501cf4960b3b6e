import { createHash } from 'node:crypto';
import { ingestSarif } from '../github/codeScanningIngest';
import {
  CHECKOV_NEW_FAILURES,
  LEAKED_SECRETS,
  checkovBaselineFindings,
  gateBlockingVulnerabilities,
  trivyVulnerabilities,
  vulnerabilitiesAt,
} from './findings';
import { JobContext } from './jobExecution';
import { WORKFLOW_NAME, WORKFLOW_PATH } from './pipeline';
import { ProductionReview, scheduleAttempt } from './pipelineRuns';
import {
  ArtifactRecord,
  CommitRecord,
  GateKey,
  JobRecord,
  RunRecord,
  WorldState,
} from './records';
import { DEPLOYED_AT, releaseByTag } from './releases';
import { checkovSarif, gitleaksSarif, trivySarif } from './sarif';
import {
  DEVELOP_NEW_COVERAGE,
  SONAR_PROJECT_KEY,
  qualityGateConditions,
  seedSonarProject,
} from './sonarSeed';

/*
 * The seeded world: acme-corp/titanic-service with ~20 runs of its pipeline, the deployments
 * they made (matching releases.ts, which the Kubernetes world reads too), code scanning alerts
 * from the SARIF each scanner uploaded, and the SonarCloud project. Deterministic: every call
 * returns the same state.
 */

export const REPOSITORY_OWNER = 'acme-corp';
export const REPOSITORY_NAME = 'titanic-service';
export const GITHUB_PORTAL_BOT_TOKEN = 'sandbox-github-portal-bot';
export const GITHUB_VIEWER_TOKEN = 'sandbox-github-viewer';
export const GITHUB_DEVELOPER_TOKEN = 'sandbox-github-developer';
export const SONAR_TOKEN = 'sandbox-sonar-token';

interface RunPlan {
  branch: string;
  event: RunRecord['event'];
  createdAt: string;
  actor: string;
  /** A release tag (commit from releases.ts) or a commit message for a non-release commit. */
  release?: string;
  message?: string;
  failAt?: GateKey;
  flaky?: boolean;
  pullRequest?: number;
  production?: {
    decision: 'approved' | 'rejected' | 'waiting';
    reviewer?: string;
    comment?: string;
  };
  cancelAfterSeconds?: number;
}

/** Oldest first; the index of a plan is the "run index" findings.ts uses for time windows. */
const RUN_PLANS: readonly RunPlan[] = [
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-10-20T09:05:10Z',
    actor: 'alice',
    release: '1.0.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'First production release of the people API.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-10-24T11:30:42Z',
    actor: 'bob',
    message: 'Add payment provider configuration',
    failAt: 'gitleaks',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-10-27T09:58:03Z',
    actor: 'alice',
    release: '1.1.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-10-27T15:20:11Z',
    actor: 'alice',
    release: '1.1.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'Readiness probe verified on staging.',
    },
  },
  {
    branch: 'feature/survival-stats',
    event: 'pull_request',
    pullRequest: 12,
    createdAt: '2026-10-30T10:45:27Z',
    actor: 'bob',
    message: 'Draft survival statistics endpoint',
    failAt: 'tests',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-03T14:33:30Z',
    actor: 'bob',
    release: '1.2.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-04T09:12:05Z',
    actor: 'alice',
    release: '1.2.0',
    production: {
      decision: 'approved',
      reviewer: 'titanic-portal-bot',
      comment: 'Approved in the Titanic Portal by alice.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-06T16:40:19Z',
    actor: 'bob',
    message: 'Run the container with NET_RAW for debugging',
    failAt: 'checkov',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-10T11:13:00Z',
    actor: 'alice',
    release: '1.3.0',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-10T15:02:48Z',
    actor: 'alice',
    release: '1.3.0',
    production: {
      decision: 'approved',
      reviewer: 'alice',
      comment: 'Pagination verified on staging.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-12T10:21:36Z',
    actor: 'bob',
    message: 'Bump form-data and rebase on node:22-alpine3.20',
    failAt: 'trivy',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-13T15:55:02Z',
    actor: 'alice',
    release: '1.3.1',
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-13T17:30:15Z',
    actor: 'alice',
    release: '1.3.1',
    production: {
      decision: 'approved',
      reviewer: 'titanic-portal-bot',
      comment:
        'Approved in the Titanic Portal by alice: hotfix for pool exhaustion.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-17T09:40:44Z',
    actor: 'bob',
    message: 'Retry database connections on start-up',
    failAt: 'tests',
    flaky: true,
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-18T13:40:09Z',
    actor: 'alice',
    release: '1.4.0',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-19T10:02:33Z',
    actor: 'bob',
    message: 'Add people import endpoint',
    cancelAfterSeconds: 48,
  },
  {
    branch: 'main',
    event: 'push',
    createdAt: '2026-11-20T16:15:21Z',
    actor: 'alice',
    release: '1.4.0',
    production: {
      decision: 'rejected',
      reviewer: 'alice',
      comment: 'Holding 1.4.0 until the load test on staging has finished.',
    },
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-24T10:24:50Z',
    actor: 'alice',
    release: '1.5.0',
  },
  {
    branch: 'feature/passenger-search',
    event: 'pull_request',
    pullRequest: 15,
    createdAt: '2026-11-24T15:48:07Z',
    actor: 'bob',
    message: 'Add passenger search',
  },
  {
    branch: 'develop',
    event: 'push',
    createdAt: '2026-11-25T11:02:16Z',
    actor: 'bob',
    message: 'Add passenger search (#15)',
    failAt: 'sonarcloud',
  },
  {
    branch: 'main',
    event: 'workflow_dispatch',
    createdAt: '2026-11-25T14:30:02Z',
    actor: 'alice',
    release: '1.4.0',
    production: { decision: 'waiting' },
  },
];

export const RUN_COUNT = RUN_PLANS.length;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function baseState(): WorldState {
  return {
    version: 1,
    repository: {
      id: 812_345_678,
      owner: REPOSITORY_OWNER,
      name: REPOSITORY_NAME,
      description:
        'Titanic passenger API — the reference service of the Titanic Portal',
      defaultBranch: 'develop',
      branches: [
        'develop',
        'main',
        'feature/passenger-search',
        'feature/survival-stats',
      ],
      private: true,
      language: 'TypeScript',
      topics: ['backstage', 'fastify', 'postgresql', 'titanic'],
      createdAt: '2026-10-01T08:00:00Z',
      updatedAt: '2026-11-25T14:30:02Z',
      pushedAt: '2026-11-25T11:01:58Z',
    },
    users: [
      {
        id: 98_765_432,
        login: REPOSITORY_OWNER,
        type: 'Organization',
        name: 'ACME Corp',
        email: '',
        siteAdmin: false,
      },
      {
        id: 190_000_001,
        login: 'titanic-portal-bot',
        type: 'User',
        name: 'Titanic Portal',
        email: 'titanic-portal-bot@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_002,
        login: 'octo-viewer',
        type: 'User',
        name: 'Octo Viewer',
        email: 'octo-viewer@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_003,
        login: 'alice',
        type: 'User',
        name: 'Alice Andrews',
        email: 'alice@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_004,
        login: 'bob',
        type: 'User',
        name: 'Bob Baker',
        email: 'bob@acme-corp.example',
        siteAdmin: false,
      },
      {
        id: 190_000_005,
        login: 'carol',
        type: 'User',
        name: 'Carol Chen',
        email: 'carol@acme-corp.example',
        siteAdmin: false,
      },
    ],
    teams: [
      {
        id: 9_100_001,
        slug: 'titanic-maintainers',
        name: 'titanic-maintainers',
        description:
          'Maintainers of titanic-service; approve production deployments',
        members: ['alice'],
      },
    ],
    githubTokens: [
      {
        token: GITHUB_PORTAL_BOT_TOKEN,
        login: 'titanic-portal-bot',
        permission: 'write',
      },
      { token: GITHUB_VIEWER_TOKEN, login: 'octo-viewer', permission: 'read' },
      { token: GITHUB_DEVELOPER_TOKEN, login: 'bob', permission: 'write' },
    ],
    sonarTokens: [SONAR_TOKEN],
    commits: [],
    workflows: [
      {
        id: 118_000_001,
        name: WORKFLOW_NAME,
        path: WORKFLOW_PATH,
        createdAt: '2026-10-01T08:10:00Z',
        updatedAt: '2026-11-06T16:39:00Z',
      },
    ],
    runs: [],
    jobs: [],
    artifacts: [],
    environments: [
      {
        id: 4_200_000_001,
        name: 'dev',
        createdAt: '2026-10-01T08:20:00Z',
        updatedAt: '2026-10-01T08:20:00Z',
        waitTimer: 0,
        reviewers: [],
        preventSelfReview: false,
        protectedBranchesOnly: false,
        url: 'https://titanic-dev.acme-corp.example',
      },
      {
        id: 4_200_000_002,
        name: 'staging',
        createdAt: '2026-10-01T08:21:00Z',
        updatedAt: '2026-10-01T08:21:00Z',
        waitTimer: 0,
        reviewers: [],
        preventSelfReview: false,
        protectedBranchesOnly: true,
        url: 'https://titanic-staging.acme-corp.example',
      },
      {
        id: 4_200_000_003,
        name: 'production',
        createdAt: '2026-10-01T08:22:00Z',
        updatedAt: '2026-10-15T12:00:00Z',
        waitTimer: 0,
        reviewers: [
          { type: 'User', name: 'titanic-portal-bot' },
          { type: 'Team', name: 'titanic-maintainers' },
        ],
        preventSelfReview: false,
        protectedBranchesOnly: true,
        url: 'https://titanic-prod.acme-corp.example',
      },
    ],
    deployments: [],
    approvals: [],
    sarifUploads: [],
    analyses: [],
    alerts: [],
    sonar: [seedSonarProject()],
    sequences: {
      run: 12_000_000_000,
      job: 33_000_000_000,
      artifact: 2_100_000_000,
      deployment: 1_900_000_000,
      deploymentStatus: 3_800_000_000,
      alert: 0,
      analysis: 870_000_000,
      checkSuite: 29_000_000_000,
    },
  };
}

function commitFor(
  state: WorldState,
  plan: RunPlan,
  index: number,
): CommitRecord {
  if (plan.release) {
    const release = releaseByTag(plan.release);
    const existing = state.commits.find(c => c.sha === release.commitSha);
    if (existing) {
      if (!existing.branches.includes(plan.branch))
        existing.branches.push(plan.branch);
      return existing;
    }
    return addCommit(state, {
      sha: release.commitSha,
      message: release.message,
      author: plan.actor,
      date: new Date(Date.parse(plan.createdAt) - 40_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      branch: plan.branch,
    });
  }
  return addCommit(state, {
    sha: sha1(`titanic-service commit ${index} ${plan.message}`),
    message: plan.message!,
    author: plan.actor,
    date: new Date(Date.parse(plan.createdAt) - 40_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    branch: plan.branch,
  });
}

function addCommit(
  state: WorldState,
  commit: {
    sha: string;
    message: string;
    author: string;
    date: string;
    branch: string;
  },
): CommitRecord {
  const parent = state.commits[state.commits.length - 1];
  const record: CommitRecord = {
    sha: commit.sha,
    treeSha: sha1(`tree ${commit.sha}`),
    message: commit.message,
    authorLogin: commit.author,
    date: commit.date,
    parents: parent ? [parent.sha] : [],
    branches: [commit.branch],
  };
  state.commits.push(record);
  return record;
}

function refFor(run: RunRecord): string {
  return run.pullRequestNumber
    ? `refs/pull/${run.pullRequestNumber}/merge`
    : `refs/heads/${run.branch}`;
}

function addArtifact(
  state: WorldState,
  run: RunRecord,
  name: string,
  files: ArtifactRecord['files'],
  createdAt: string,
): void {
  state.sequences.artifact += 1;
  const size = files.reduce(
    (total, file) => total + Buffer.byteLength(file.content),
    0,
  );
  state.artifacts.push({
    id: state.sequences.artifact,
    runId: run.id,
    name,
    files,
    sizeInBytes: size,
    digest: `sha256:${createHash('sha256')
      .update(files.map(f => f.content).join('\0'))
      .digest('hex')}`,
    createdAt,
    expiresAt: iso(Date.parse(createdAt) + 90 * 24 * 3600 * 1000),
  });
}

/** File names the scanners write their SARIF to (kept in the `<tool>-sarif` artifacts). */
const SARIF_FILE_NAMES: Partial<Record<GateKey, string>> = {
  gitleaks: 'results.sarif',
  checkov: 'results_sarif.sarif',
  trivy: 'trivy-results.sarif',
};

/** Uploads the SARIF of each scanner job that ran, as the reusable workflows do. */
export function uploadScannerResults(
  state: WorldState,
  run: RunRecord,
  jobs: readonly JobRecord[],
  findings: { sarifFor: (gate: GateKey) => string | null },
): void {
  for (const job of jobs) {
    if (
      job.status !== 'completed' ||
      job.conclusion === 'skipped' ||
      job.conclusion === 'cancelled'
    )
      continue;
    const sarif = findings.sarifFor(job.gate);
    if (!sarif) continue;
    const at = job.completedAt!;
    ingestSarif(state, JSON.parse(sarif), {
      ref: refFor(run),
      commitSha: run.headSha,
      at,
    });
    const file = SARIF_FILE_NAMES[job.gate] ?? 'results.sarif';
    addArtifact(
      state,
      run,
      `${job.gate}-sarif`,
      [{ name: file, content: sarif }],
      at,
    );
  }
  const tests = jobs.find(
    job =>
      job.gate === 'tests' &&
      job.status === 'completed' &&
      job.conclusion !== 'skipped',
  );
  if (tests) {
    const coverageLine = tests.log
      .split('\n')
      .find(line => line.includes('All files'));
    const lines = coverageLine
      ? Number.parseFloat(coverageLine.split('|')[4])
      : 0;
    addArtifact(
      state,
      run,
      'coverage-report',
      [
        {
          name: 'coverage-summary.json',
          content: JSON.stringify(
            { total: { lines: { pct: lines } } },
            null,
            2,
          ),
        },
      ],
      tests.completedAt!,
    );
  }
}

/** SARIF documents (as JSON text) the scanners produce for the run at runIndex. */
export function scannerSarif(
  run: RunRecord,
  runIndex: number,
  commit: CommitRecord,
) {
  const vulnerabilities = trivyVulnerabilities(RUN_COUNT);
  return (gate: GateKey): string | null => {
    if (gate === 'gitleaks') {
      return JSON.stringify(
        gitleaksSarif({
          leaks: run.failingGate === 'gitleaks' ? run.context.leaks : [],
          commitSha: run.headSha,
          author: commit.authorLogin,
          date: commit.date,
          commitMessage: commit.message,
        }),
      );
    }
    if (gate === 'checkov') {
      return JSON.stringify(
        checkovSarif([
          ...checkovBaselineFindings(),
          ...(run.failingGate === 'checkov' ? run.context.checkovFailures : []),
        ]),
      );
    }
    if (gate === 'trivy') {
      return JSON.stringify(
        trivySarif({
          vulnerabilities: vulnerabilitiesAt(vulnerabilities, runIndex),
          imageTag: run.context.imageTag,
        }),
      );
    }
    return null;
  };
}

export function createSeedWorld(): WorldState {
  const state = baseState();
  const vulnerabilities = trivyVulnerabilities(RUN_COUNT);
  RUN_PLANS.forEach((plan, index) => {
    const commit = commitFor(state, plan, index);
    const createdAt = Date.parse(plan.createdAt);
    state.sequences.run += 1 + (index % 3) * 17;
    state.sequences.checkSuite += 3 + index * 11;
    const runNumber = index + 1;
    const imageTag = plan.release ?? `sha-${commit.sha.slice(0, 7)}`;
    const present = vulnerabilitiesAt(vulnerabilities, index);
    const context: JobContext = {
      repository: `${REPOSITORY_OWNER}/${REPOSITORY_NAME}`,
      branch: plan.branch,
      headSha: commit.sha,
      commitAuthor: commit.authorLogin,
      commitDate: commit.date,
      imageTag,
      leaks: plan.failAt === 'gitleaks' ? LEAKED_SECRETS : [],
      checkovFailures: plan.failAt === 'checkov' ? CHECKOV_NEW_FAILURES : [],
      checkovPassed: 61,
      coverage:
        plan.failAt === 'tests' && !plan.flaky
          ? {
              statements: 64.28,
              branches: 52.94,
              functions: 66.66,
              lines: 64.28,
            }
          : {
              statements: 82.14,
              branches: 74.6,
              functions: 85.71,
              lines: 82.92,
            },
      flakyTest: Boolean(plan.flaky),
      vulnerabilities: gateBlockingVulnerabilities(present),
      sonarProjectKey: SONAR_PROJECT_KEY,
      sonarConditions: qualityGateConditions(
        plan.failAt === 'sonarcloud' ? DEVELOP_NEW_COVERAGE : 86.4,
      ),
      sonarGate: plan.failAt === 'sonarcloud' ? 'ERROR' : 'OK',
      commitsScanned: 1,
    };
    const run: RunRecord = {
      id: state.sequences.run,
      runNumber,
      runAttempt: 1,
      workflowId: state.workflows[0].id,
      name: WORKFLOW_NAME,
      displayTitle: commit.message,
      branch: plan.branch,
      headSha: commit.sha,
      event: plan.event,
      status: 'queued',
      conclusion: null,
      actorLogin: plan.actor,
      triggeringActorLogin: plan.actor,
      createdAt: plan.createdAt,
      updatedAt: plan.createdAt,
      runStartedAt: plan.createdAt,
      checkSuiteId: state.sequences.checkSuite,
      pullRequestNumber: plan.pullRequest ?? null,
      failingGate: plan.failAt ?? null,
      flaky: Boolean(plan.flaky),
      context,
    };
    state.runs.push(run);

    const deployedAt: Partial<Record<GateKey, number>> = {};
    if (plan.release) {
      if (plan.branch === 'develop' && DEPLOYED_AT.dev[plan.release]) {
        deployedAt['deploy-dev'] = Date.parse(DEPLOYED_AT.dev[plan.release]);
      }
      if (plan.branch === 'main' && plan.event === 'push') {
        if (DEPLOYED_AT.staging[plan.release])
          deployedAt['deploy-staging'] = Date.parse(
            DEPLOYED_AT.staging[plan.release],
          );
        if (DEPLOYED_AT.prod[plan.release])
          deployedAt['deploy-production'] = Date.parse(
            DEPLOYED_AT.prod[plan.release],
          );
      }
    }
    let production: ProductionReview | undefined;
    if (plan.production) {
      if (plan.production.decision === 'waiting') {
        production = { decision: 'waiting' };
      } else {
        const target = deployedAt['deploy-production'];
        production = {
          decision: plan.production.decision,
          reviewer: plan.production.reviewer!,
          comment: plan.production.comment!,
          at: target ? target - 120_000 : createdAt + 35 * 60_000,
        };
      }
    }
    const jobs = scheduleAttempt(state, run, {
      startAt: createdAt,
      timeScale: 1,
      deployedAt,
      production,
      cancelAt: plan.cancelAfterSeconds
        ? createdAt + plan.cancelAfterSeconds * 1000
        : undefined,
    });
    if (plan.cancelAfterSeconds) {
      run.conclusion = 'cancelled';
    }
    uploadScannerResults(state, run, jobs, {
      sarifFor: scannerSarif(run, index, commit),
    });
  });

  dismissSomeAlerts(state);
  return state;
}

/** The team dismissed a few findings over time, as real repositories do. */
function dismissSomeAlerts(state: WorldState): void {
  const dismissals: Array<
    [string, string, 'false positive' | "won't fix" | 'used in tests', string]
  > = [
    [
      'CKV_AWS_144',
      'alice',
      "won't fix",
      'Cross-region replication is out of scope for a demo bucket.',
    ],
    [
      'CKV_K8S_43',
      'alice',
      "won't fix",
      'Images are pinned by immutable tags in ghcr.io.',
    ],
    [
      'CVE-2024-58251',
      'bob',
      'false positive',
      'netstat is not shipped in the runtime image.',
    ],
  ];
  for (const [ruleId, login, reason, comment] of dismissals) {
    for (const alert of state.alerts.filter(a => a.rule.id === ruleId)) {
      alert.dismissed = {
        byLogin: login,
        at: '2026-11-21T09:30:00Z',
        reason,
        comment,
      };
      alert.updatedAt = '2026-11-21T09:30:00Z';
    }
  }
}
