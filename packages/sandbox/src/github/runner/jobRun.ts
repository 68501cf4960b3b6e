import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  AnnotationRecord,
  JobRecord,
  StepRecord,
  WorldState,
  workflowAnnotation,
} from '../../world/records';
import { iso, logStamp } from '../../world/timestamps';
import {
  ExpressionScope,
  ExpressionValue,
  asText,
  condition,
  interpolate,
  interpolateValue,
} from './expressions';
import { PlannedJob } from './jobGraph';
import { DispatchOptions, StepKind, carryOut, kindOf } from './stepDispatch';
import { ClusterAccess, RunFacts, StepOutcome } from './stepTypes';
import { WorkflowStep } from './workflowSyntax';

/*
 * One job run live, step by step, as a GitHub-hosted runner would: "Set up job", each step as
 * written (its `if`, `with`, `env` and `working-directory` evaluated against the contexts of
 * the moment), the post steps of actions that have them, "Complete job". The job record is
 * updated as it goes, so the jobs API shows steps progressing and the log growing.
 */

/** Actions that run a post step after the job's steps. */
const POST_ACTIONS = [
  'actions/checkout',
  'actions/setup-node',
  'docker/login-action',
  'docker/setup-buildx-action',
];

export interface JobRunOptions {
  state: WorldState;
  job: JobRecord;
  planned: PlannedJob;
  facts: RunFacts;
  /** Contexts the job's expressions see: github, env, inputs, needs, secrets, vars. */
  contexts: Record<string, ExpressionValue>;
  /** The job's directory: `workspace/` (the checkout) and `_temp/` (runner.temp). */
  directory: string;
  timeScale: number;
  cluster?: ClusterAccess;
  dispatch: Omit<DispatchOptions, 'checkout'> & {
    checkout(workspace: string): Promise<string[]>;
  };
  signal: AbortSignal;
}

export interface JobResult {
  conclusion: 'success' | 'failure' | 'cancelled';
  outputs: Record<string, string>;
  kinds: StepKind[];
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done, fail) => {
    if (signal.aborted) {
      fail(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const stop = () => {
      clearTimeout(timer);
      fail(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      done();
    }, ms);
    signal.addEventListener('abort', stop, { once: true });
  });
}

interface PlannedStep {
  name: string;
  step?: WorkflowStep;
  /** The main step a post step belongs to. */
  postOf?: number;
  kind?: StepKind;
}

function defaultName(step: WorkflowStep): string {
  if (step.uses) return `Run ${step.uses}`;
  return `Run ${(step.run ?? '').trim().split('\n')[0]}`;
}

function hashFiles(workspace: string) {
  return (patterns: string[]) => {
    const files = patterns
      .map(pattern => join(workspace, pattern))
      .filter(path => existsSync(path));
    if (files.length === 0) return '';
    const hash = createHash('sha256');
    for (const file of files) hash.update(readFileSync(file));
    return hash.digest('hex');
  };
}

export async function runJob(options: JobRunOptions): Promise<JobResult> {
  const { job, planned, signal } = options;
  const workspace = join(options.directory, 'workspace');
  const temp = join(options.directory, '_temp');
  const stepContexts: Record<string, ExpressionValue> = {};
  let env: Record<string, string> = {};
  const baseScope = (status: ExpressionScope['status']): ExpressionScope => ({
    contexts: {
      ...options.contexts,
      env,
      steps: stepContexts,
      job: { status },
      runner: { os: 'Linux', arch: 'X64', temp, name: job.runnerName ?? '' },
    },
    status,
    hashFiles: hashFiles(workspace),
  });
  // Workflow env, then job env, each evaluated in order.
  for (const [key, value] of Object.entries({
    ...planned.definedIn.env,
    ...planned.job.env,
  }))
    env = { ...env, [key]: interpolate(value, baseScope('success')) };

  const plannedSteps: PlannedStep[] = [{ name: 'Set up job' }];
  planned.job.steps.forEach(step => {
    let name = step.name ?? defaultName(step);
    try {
      name = interpolate(name, baseScope('success'));
    } catch {
      // Evaluated again when the step runs.
    }
    plannedSteps.push({ name, step, kind: kindOf(step) });
  });
  const mains = plannedSteps.length;
  for (let index = mains - 1; index >= 1; index--) {
    const { step, name } = plannedSteps[index];
    if (
      step?.uses &&
      POST_ACTIONS.includes(step.uses.split('@')[0].toLowerCase())
    )
      plannedSteps.push({ name: `Post ${name}`, postOf: index });
  }
  plannedSteps.push({ name: 'Complete job' });
  job.steps = plannedSteps.map(
    (step, index): StepRecord => ({
      number: index + 1,
      name: step.name,
      status: 'queued',
      conclusion: null,
      startedAt: null,
      completedAt: null,
    }),
  );

  let failed = false;
  let exitCode = 0;
  const ran = new Set<number>();
  const annotations: AnnotationRecord[] = [];
  const write = (text: string, at = Date.now()) => {
    for (const line of text.split('\n')) job.log += `${logStamp(at)} ${line}\n`;
  };

  for (let index = 0; index < plannedSteps.length; index++) {
    if (signal.aborted) throw signal.reason;
    const plannedStep = plannedSteps[index];
    const record = job.steps[index];
    const startedAt = Date.now();
    record.status = 'in_progress';
    record.startedAt = iso(startedAt);
    const status = failed ? 'failure' : 'success';
    const scope = baseScope(status);
    const step = plannedStep.step;
    let runs: boolean;
    if (plannedStep.postOf !== undefined) runs = ran.has(plannedStep.postOf);
    else if (!step) runs = true;
    else {
      try {
        runs = condition(step.if, scope);
      } catch (error) {
        write(`##[error]${(error as Error).message}`);
        runs = false;
        failed = true;
      }
    }
    if (!runs) {
      record.status = 'completed';
      record.conclusion = 'skipped';
      record.completedAt = record.startedAt;
      continue;
    }
    ran.add(index);
    let outcome: StepOutcome & { env?: Record<string, string> };
    try {
      outcome = await runStep(plannedStep, {
        options,
        scope,
        env,
        workspace,
        temp,
        emit: line => write(line),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      outcome = {
        lines: [`##[error]${(error as Error).message}`],
        conclusion: 'failure',
        exitCode: 1,
      };
    }
    if (outcome.simulatedSeconds !== undefined) {
      const wanted = Math.max(
        20,
        outcome.simulatedSeconds * 1000 * options.timeScale,
      );
      await sleep(Math.max(0, startedAt + wanted - Date.now()), signal);
    }
    const completedAt = Date.now();
    const lines = outcome.lines;
    lines.forEach((line, position) =>
      write(
        line,
        startedAt +
          ((completedAt - startedAt) * (position + 1)) / (lines.length + 1),
      ),
    );
    if (outcome.env) env = { ...env, ...outcome.env };
    if (step?.id)
      stepContexts[step.id] = {
        outputs: outcome.outputs ?? {},
        outcome: outcome.conclusion,
        conclusion: outcome.conclusion,
      };
    annotations.push(...(outcome.annotations ?? []));
    if (outcome.conclusion === 'failure') {
      exitCode = outcome.exitCode ?? 1;
      write(
        `##[error]Process completed with exit code ${exitCode}.`,
        completedAt,
      );
      failed = true;
    }
    record.status = 'completed';
    record.conclusion = outcome.conclusion;
    record.completedAt = iso(completedAt);
  }

  if (failed)
    annotations.push(
      workflowAnnotation(
        'failure',
        `Process completed with exit code ${exitCode || 1}.`,
      ),
    );
  job.annotations = annotations;
  const outputs: Record<string, string> = {};
  const scope = baseScope(failed ? 'failure' : 'success');
  for (const [key, value] of Object.entries(planned.job.outputs)) {
    try {
      outputs[key] = interpolate(value, scope);
    } catch {
      outputs[key] = '';
    }
  }
  return {
    conclusion: failed ? 'failure' : 'success',
    outputs,
    kinds: plannedSteps.flatMap(step => (step.kind ? [step.kind] : [])),
  };
}

interface StepRunContext {
  options: JobRunOptions;
  scope: ExpressionScope;
  env: Record<string, string>;
  workspace: string;
  temp: string;
  emit(line: string): void;
}

async function runStep(
  planned: PlannedStep,
  context: StepRunContext,
): Promise<StepOutcome & { env?: Record<string, string> }> {
  const { options, scope } = context;
  if (!planned.step) {
    if (planned.name === 'Set up job') {
      return {
        lines: [
          "Current runner version: '2.321.0'",
          '##[group]Runner Image',
          'Image: ubuntu-24.04',
          '##[endgroup]',
          '[sandbox] The job runs in the GitHub sandbox: each step says whether it is real or simulated.',
          `Complete job name: ${options.job.name}`,
        ],
        conclusion: 'success',
        simulatedSeconds: 1,
      };
    }
    return {
      lines: [
        planned.name.startsWith('Post ')
          ? 'Post job cleanup.'
          : 'Cleaning up orphan processes',
      ],
      conclusion: 'success',
      simulatedSeconds: 0.5,
    };
  }
  const step = planned.step;
  const stepEnv = { ...context.env };
  for (const [key, value] of Object.entries(step.env))
    stepEnv[key] = interpolate(value, {
      ...scope,
      contexts: { ...scope.contexts, env: stepEnv },
    });
  const withInputs: Record<string, ExpressionValue> = {};
  for (const [key, value] of Object.entries(step.with))
    withInputs[key] = interpolateValue(value, {
      ...scope,
      contexts: { ...scope.contexts, env: stepEnv },
    });
  const script =
    step.run === undefined
      ? undefined
      : interpolate(step.run, {
          ...scope,
          contexts: { ...scope.contexts, env: stepEnv },
        });
  const directory = step.workingDirectory
    ? interpolate(step.workingDirectory, scope)
    : '.';
  const workingDirectory = resolve(context.workspace, directory);
  const header = step.uses
    ? [
        `##[group]Run ${step.uses}`,
        ...(Object.keys(withInputs).length > 0 ? ['with:'] : []),
        ...Object.entries(withInputs).map(
          ([key, value]) => `  ${key}: ${asText(value).split('\n')[0]}`,
        ),
      ]
    : [
        `##[group]Run ${(script ?? '').trim().split('\n')[0]}`,
        ...(script ?? '').trim().split('\n').slice(1, 6),
        'shell: /usr/bin/bash -e {0}',
      ];
  const envKeys = Object.keys(step.env);
  if (envKeys.length > 0)
    header.push(
      'env:',
      ...envKeys.map(
        key =>
          `  ${key}: ${
            /TOKEN|SECRET|PASSWORD|KUBECONFIG|WEBHOOK/i.test(key)
              ? '***'
              : stepEnv[key]
          }`,
      ),
    );
  header.push('##[endgroup]');
  header.forEach(line => context.emit(line));
  return carryOut(
    planned.kind!,
    {
      uses: step.uses,
      script,
      with: withInputs,
      env: stepEnv,
      workspace: context.workspace,
      temp: context.temp,
      workingDirectory,
      facts: options.facts,
      state: options.state,
      cluster: options.cluster,
      emit: context.emit,
      signal: options.signal,
    },
    {
      ...options.dispatch,
      checkout: () => options.dispatch.checkout(context.workspace),
    },
  );
}
