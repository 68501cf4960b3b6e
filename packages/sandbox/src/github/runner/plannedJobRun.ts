import type { DeploymentProtectionRules } from '../protectionRules';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nextJobId } from '../../world/pipelineRuns';
import {
  DeploymentRecord,
  JobRecord,
  workflowAnnotation,
} from '../../world/records';
import { addJob } from '../../world/repositoryIndex';
import { iso } from '../../world/timestamps';
import { BareRepository } from '../hosting/bareRepository';
import { exportTree } from './checkout';
import {
  ExpressionScope,
  ExpressionValue,
  condition,
  interpolate,
  interpolateValue,
} from './expressions';
import { PlannedJob } from './jobGraph';
import { runJob, sleep } from './jobRun';
import {
  createDeployment,
  deploymentStatus,
  environmentNamed,
} from './liveDeployments';
import { JobOutcome, JobResultValue, LiveRun, combinedResult } from './liveRun';
import { gateOfSteps, kindOf } from './stepDispatch';
import { ClusterAccess } from './stepTypes';

/*
 * One planned job of a live run, from the moment its needs are done: its `if`, the environment
 * it deploys to and that environment's protection rules (a required review holds the job
 * `waiting` until someone reviews it), then the job itself (jobRun.ts) and its deployment's
 * statuses.
 */

/** How one gate of an environment (its reviewers, or an App's rule) ended. */
interface GateDecision {
  decision: 'approved' | 'rejected';
  reviewer: string;
}

/** The first rejection, or the last approval once every gate approved. */
function allApproved(
  gates: Array<Promise<GateDecision>>,
): Promise<GateDecision> {
  return new Promise((resolve, reject) => {
    for (const gate of gates) {
      gate.then(decided => {
        if (decided.decision === 'rejected') resolve(decided);
      }, reject);
    }
    Promise.all(gates).then(all => resolve(all.at(-1)!), reject);
  });
}

export interface PlannedJobServices {
  github: Record<string, ExpressionValue>;
  timeScale: number;
  realTests: boolean;
  cluster?: ClusterAccess;
  git: BareRepository;
  apiUrl: string;
  /** Asks the Apps whose custom protection rules gate an environment. */
  protectionRules?: DeploymentProtectionRules;
}

/** What a job is given as `needs`: each needed caller job's result and outputs. */
function needsContext(live: LiveRun, planned: PlannedJob) {
  const needs: Record<string, ExpressionValue> = {};
  const results: JobResultValue[] = [];
  for (const callerId of planned.caller.needs) {
    const keys = live.graph.jobs
      .filter(job => job.caller.id === callerId)
      .map(job => job.key);
    const outcomes = keys.map(key => live.results.get(key)!);
    const result = combinedResult(outcomes.map(outcome => outcome.result));
    needs[callerId] = {
      result,
      outputs: Object.assign({}, ...outcomes.map(o => o.outputs)),
    };
  }
  for (const key of planned.needs) results.push(live.results.get(key)!.result);
  // A skipped need makes success() false, as on GitHub: only always() still runs the job.
  let status: ExpressionScope['status'] = 'success';
  if (results.includes('failure')) status = 'failure';
  else if (results.includes('cancelled')) status = 'cancelled';
  else if (results.includes('skipped')) status = 'skipped';
  return { needs, status };
}

function newJob(
  live: LiveRun,
  planned: PlannedJob,
  name: string,
  environment: string | undefined,
): JobRecord {
  const id = nextJobId(live.state);
  const kinds = planned.job.steps.map(kindOf);
  const runsTests = planned.job.steps.some(step =>
    /\bnpm\s+(test|run\s+test)\b/.test(step.run ?? ''),
  );
  const now = iso(Date.now());
  const job: JobRecord = {
    id,
    runId: live.run.id,
    runAttempt: live.run.runAttempt,
    name,
    gate: gateOfSteps(kinds, environment, runsTests),
    status: 'queued',
    conclusion: null,
    createdAt: now,
    startedAt: now,
    completedAt: null,
    steps: [],
    log: '',
    annotations: [],
    runnerId: null,
    runnerName: null,
    environment: environment ?? null,
  };
  addJob(live.state, job);
  return job;
}

function finishJob(job: JobRecord, conclusion: JobRecord['conclusion']): void {
  job.status = 'completed';
  job.conclusion = conclusion;
  job.completedAt = iso(Date.now());
}

/** A job the run stopped: what ran is kept, the rest is cancelled or skipped. */
export function cancelJob(job: JobRecord, now: number): void {
  job.status = 'completed';
  job.conclusion = 'cancelled';
  job.completedAt = iso(now);
  for (const step of job.steps) {
    if (step.status === 'completed') continue;
    step.conclusion = step.status === 'in_progress' ? 'cancelled' : 'skipped';
    step.status = 'completed';
    step.startedAt ??= iso(now);
    step.completedAt = iso(now);
  }
}

/** The image tag the build job reported (an `…:sha-…` reference among the needs' outputs). */
function builtTag(needs: Record<string, ExpressionValue>): string | null {
  for (const need of Object.values(needs)) {
    const outputs = (need as { outputs: Record<string, string> }).outputs;
    for (const value of Object.values(outputs)) {
      const match = /:(sha-[0-9a-f]+)$/.exec(value);
      if (match) return match[1];
    }
  }
  return null;
}

export async function runPlannedJob(
  live: LiveRun,
  planned: PlannedJob,
  services: PlannedJobServices,
): Promise<JobOutcome> {
  const { needs, status } = needsContext(live, planned);
  const callerScope: ExpressionScope = {
    contexts: {
      github: services.github,
      needs,
      env: {},
      secrets: {},
      vars: {},
      inputs: {},
    },
    status,
  };
  const inputs: Record<string, ExpressionValue> = {};
  if (planned.job !== planned.caller) {
    for (const [key, input] of Object.entries(
      planned.definedIn.triggers.workflowCall ?? {},
    ))
      inputs[key] = (input.default ?? null) as ExpressionValue;
    for (const [key, value] of Object.entries(planned.caller.with))
      inputs[key] = interpolateValue(value, callerScope);
  }
  const contexts = { ...callerScope.contexts, inputs };
  const scope: ExpressionScope = { contexts, status };
  let name = planned.name;
  try {
    name = interpolate(planned.name, scope);
  } catch {
    // A name with an expression that cannot be evaluated keeps its text, as on GitHub.
  }
  const runs =
    (planned.caller === planned.job ||
      condition(planned.caller.if, callerScope)) &&
    condition(planned.job.if, scope);
  const environmentSpec = planned.job.environment ?? planned.caller.environment;
  const environmentName = environmentSpec
    ? interpolate(environmentSpec.name, scope)
    : undefined;
  if (!runs) {
    const job = newJob(live, planned, name, environmentName);
    finishJob(job, 'skipped');
    return { result: 'skipped', outputs: {} };
  }
  const job = newJob(live, planned, name, environmentName);
  const signal = live.abort.signal;
  const logUrl = `${services.github.server_url}/${live.facts.repository}/actions/runs/${live.run.id}/job/${job.id}`;
  let deployment: DeploymentRecord | undefined;
  let environmentUrl = '';
  try {
    if (environmentName) {
      const environment = environmentNamed(
        live.state,
        live.repository.id,
        environmentName,
      );
      environmentUrl = environmentSpec?.url
        ? interpolate(environmentSpec.url, scope)
        : environment.url;
      if (
        environment.protectedBranchesOnly &&
        !live.repository.branchProtection[live.run.branch]
      ) {
        const message = `Branch "${live.run.branch}" is not allowed to deploy to ${environmentName} due to environment protection rules.`;
        job.annotations = [workflowAnnotation('failure', message)];
        finishJob(job, 'failure');
        return { result: 'failure', outputs: {} };
      }
      deployment = createDeployment(
        live.state,
        live.run,
        environmentName,
        builtTag(needs),
      );
      // Required reviewers and the Apps' custom rules gate together: all must approve.
      const gates: Array<Promise<GateDecision>> = [];
      if (environment.reviewers.length > 0) {
        gates.push(
          new Promise<GateDecision>((done, fail) => {
            live.reviews.set(job.id, (decision, reviewer) =>
              done({ decision, reviewer }),
            );
            signal.addEventListener('abort', () => fail(signal.reason), {
              once: true,
            });
          }),
        );
      }
      const rules = services.protectionRules?.request(
        live.run,
        job,
        environment,
        deployment,
        signal,
      );
      if (rules)
        gates.push(
          rules.then(({ decision, by }) => ({ decision, reviewer: by })),
        );
      if (gates.length > 0) {
        job.status = 'waiting';
        deploymentStatus(
          live.state,
          deployment,
          'waiting',
          live.run.triggeringActorLogin,
          { logUrl },
        );
        const review = await allApproved(gates);
        live.reviews.delete(job.id);
        if (review.decision === 'rejected') {
          job.startedAt = iso(Date.now());
          finishJob(job, 'failure');
          deploymentStatus(live.state, deployment, 'failure', review.reviewer, {
            logUrl,
          });
          return { result: 'failure', outputs: {} };
        }
        job.status = 'queued';
      }
      if (environment.waitTimer > 0)
        await sleep(
          environment.waitTimer * 60_000 * services.timeScale,
          signal,
        );
      deploymentStatus(
        live.state,
        deployment,
        'queued',
        live.run.triggeringActorLogin,
        { logUrl },
      );
    }
    job.createdAt = iso(Date.now());
    await sleep(Math.max(100, 4000 * services.timeScale), signal);
    job.status = 'in_progress';
    job.startedAt = iso(Date.now());
    job.runnerId = 1000 + (job.id % 97);
    job.runnerName = `GitHub Actions ${job.runnerId}`;
    if (deployment)
      deploymentStatus(
        live.state,
        deployment,
        'in_progress',
        live.run.triggeringActorLogin,
        { logUrl },
      );
    const directory = join(live.directory, String(job.id));
    mkdirSync(join(directory, '_temp'), { recursive: true });
    mkdirSync(join(directory, 'workspace'), { recursive: true });
    const serviceDirectory = live.workflow.env.SERVICE_DIR;
    try {
      const result = await runJob({
        state: live.state,
        job,
        planned,
        facts: live.facts,
        contexts,
        directory,
        timeScale: services.timeScale,
        cluster: services.cluster,
        dispatch: {
          realTests: services.realTests,
          serviceDirectory: serviceDirectory
            ? join(directory, 'workspace', serviceDirectory)
            : undefined,
          defaultBranch: live.repository.defaultBranch,
          checkout: async workspace => {
            await exportTree(services.git, live.run.headSha, workspace);
            return [
              `Syncing repository: ${live.facts.repository}`,
              `[sandbox] REAL: the tree of ${live.run.headSha.slice(
                0,
                7,
              )} exported from the sandbox's git repository.`,
              `HEAD is now at ${live.run.headSha.slice(0, 7)} ${
                live.run.displayTitle
              }`,
            ];
          },
        },
        signal,
      });
      finishJob(job, result.conclusion);
      if (deployment)
        deploymentStatus(
          live.state,
          deployment,
          result.conclusion === 'success' ? 'success' : 'failure',
          live.run.triggeringActorLogin,
          {
            logUrl,
            environmentUrl:
              result.conclusion === 'success' ? environmentUrl : '',
          },
        );
      return { result: result.conclusion, outputs: result.outputs };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    cancelJob(job, Date.now());
    return { result: 'cancelled', outputs: {} };
  }
}
