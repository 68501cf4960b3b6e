import { createHash } from 'node:crypto';
import { CHECKOV_NEW_FAILURES } from './checkovFindings';
import { LEAKED_SECRETS } from './gitleaksFindings';
import { ProductionReview, scheduleAttempt } from './pipelineRuns';
import {
  CommitRecord,
  GateKey,
  JobContext,
  RunRecord,
  WorldState,
} from './records';
import { DEPLOYED_AT, releaseByTag } from './releases';
import { addCommit as recordCommit, addRun } from './repositoryIndex';
import { RUN_COUNT, RunPlan, SEEDED_RUNS } from './runPlans';
import { scannerSarif, uploadScannerResults } from './scannerUploads';
import { REPOSITORY_NAME, REPOSITORY_OWNER, baseState } from './seedRepository';
import {
  DEVELOP_NEW_COVERAGE,
  SONAR_PROJECT_KEY,
  qualityGateConditions,
} from './sonarSeed';
import { REUSABLE_WORKFLOWS, WORKFLOW_NAME } from './pipeline';
import {
  gateBlockingVulnerabilities,
  trivyVulnerabilities,
  vulnerabilitiesAt,
} from './trivyFindings';

/*
 * The seeded world: acme-corp/titanic-service with ~20 runs of its pipeline, the deployments
 * they made (matching releases.ts, which the Kubernetes world reads too), code scanning alerts
 * from the SARIF each scanner uploaded, and the SonarCloud project. Deterministic: every call
 * returns the same state.
 */

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
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
    repositoryId: state.repository.id,
    sha: commit.sha,
    treeSha: sha1(`tree ${commit.sha}`),
    message: commit.message,
    authorLogin: commit.author,
    date: commit.date,
    parents: parent ? [parent.sha] : [],
    branches: [commit.branch],
  };
  recordCommit(state, record);
  return record;
}

export function createSeedWorld(): WorldState {
  const state = baseState();
  const vulnerabilities = trivyVulnerabilities(RUN_COUNT);
  SEEDED_RUNS.forEach(({ plan, historyIndex }, index) => {
    const commit = commitFor(state, plan, historyIndex);
    const createdAt = Date.parse(plan.createdAt);
    state.sequences.run += 1 + (index % 3) * 17;
    state.sequences.checkSuite += 3 + index * 11;
    const runNumber = index + 1;
    const imageTag = plan.release ?? `sha-${commit.sha.slice(0, 7)}`;
    const present = vulnerabilitiesAt(vulnerabilities, historyIndex);
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
      repositoryId: state.repository.id,
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
      referencedWorkflows: REUSABLE_WORKFLOWS,
    };
    addRun(state, run);

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
      sarifFor: scannerSarif(run, historyIndex, commit),
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
