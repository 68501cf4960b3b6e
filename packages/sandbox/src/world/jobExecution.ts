import { GateDefinition, StepDefinition } from './pipeline';
import { AnnotationRecord, JobContext, JobRecord, StepRecord } from './records';
import {
  deploySetImageLines,
  failureAnnotations,
  gateStepRun,
  genericStepLines,
  healthLines,
} from './stepOutput';
import { iso, logStamp } from './timestamps';

/*
 * Executes one pipeline job "on paper": given when it starts and how it ends, produces the job
 * record GitHub would store — steps with times, the runner's log with per-line timestamps and
 * the check-run annotations. Jobs that start in the future are projected by `projectJob`
 * (jobProjection.ts).
 */

export type JobOutcome =
  | 'success'
  | 'failure'
  | 'skipped'
  | 'cancelled'
  | 'waiting';

export interface JobPlan {
  id: number;
  runId: number;
  runAttempt: number;
  definition: GateDefinition;
  outcome: JobOutcome;
  createdAt: number;
  startedAt: number;
  /** Multiplies each step's duration; 1 for history, small for jobs the sandbox runs live. */
  timeScale: number;
  runnerId: number;
  context: JobContext;
}

export function executeJob(plan: JobPlan): JobRecord {
  const { definition, outcome, context } = plan;
  const base: JobRecord = {
    id: plan.id,
    runId: plan.runId,
    runAttempt: plan.runAttempt,
    name: definition.jobName,
    gate: definition.gate,
    status: 'completed',
    conclusion: null,
    createdAt: iso(plan.createdAt),
    startedAt: iso(plan.startedAt),
    completedAt: iso(plan.startedAt),
    steps: [],
    log: '',
    annotations: [],
    runnerId: null,
    runnerName: null,
    environment: definition.environment,
  };
  if (outcome === 'skipped') {
    return { ...base, conclusion: 'skipped' };
  }
  if (outcome === 'waiting') {
    return { ...base, status: 'waiting', completedAt: null };
  }

  const runnerName = `GitHub Actions ${plan.runnerId}`;
  const lines: string[] = [];
  let now = plan.startedAt;
  const emit = (text: string) => {
    lines.push(`${logStamp(now)} ${text}`);
  };
  const steps: StepRecord[] = [];
  const allSteps: StepDefinition[] = [
    { name: 'Set up job', seconds: 2 },
    ...definition.steps,
    { name: 'Complete job', seconds: 1, when: 'always' },
  ];
  let failed = false;
  let exitCode = 1;
  const annotations: AnnotationRecord[] = [];
  const cancelled = outcome === 'cancelled';

  allSteps.forEach((step, index) => {
    const runs =
      step.when === 'always' ||
      (step.when === 'on-failure'
        ? failed
        : !failed && !(cancelled && step.gateCheck));
    const startedAt = now;
    if (!runs) {
      steps.push({
        number: index + 1,
        name: step.name,
        status: 'completed',
        conclusion: cancelled && !failed ? 'cancelled' : 'skipped',
        startedAt: iso(startedAt),
        completedAt: iso(startedAt),
      });
      return;
    }
    const duration = Math.max(50, step.seconds * 1000 * plan.timeScale);
    const perLine = (lineCount: number) =>
      duration / Math.max(1, lineCount + 1);
    let stepLines: string[];
    let stepFailed = false;
    if (step.name === 'Set up job') {
      stepLines = [
        "Current runner version: '2.321.0'",
        '##[group]Operating System',
        'Ubuntu',
        '24.04.1',
        'LTS',
        '##[endgroup]',
        '##[group]Runner Image',
        'Image: ubuntu-24.04',
        'Version: 20241117.1.0',
        '##[endgroup]',
        '##[group]GITHUB_TOKEN Permissions',
        'Contents: read',
        'Metadata: read',
        'SecurityEvents: write',
        '##[endgroup]',
        'Secret source: Actions',
        'Prepare workflow directory',
        'Prepare all required actions',
        `Complete job name: ${definition.jobName}`,
      ];
    } else if (step.name === 'Complete job') {
      stepLines = ['Cleaning up orphan processes'];
    } else if (step.gateCheck) {
      const run = gateStepRun(
        definition.gate,
        context,
        outcome === 'failure',
        now,
      );
      stepLines = [`##[group]${step.name}`, ...run.lines];
      stepFailed = run.failed;
      exitCode = run.exitCode;
    } else if (step.name === 'Set image') {
      stepLines = [
        `##[group]Run ${step.name}`,
        ...deploySetImageLines(definition.gate, context),
      ];
    } else if (step.name === 'Health check') {
      stepLines = [
        `##[group]Run ${step.name}`,
        ...healthLines(definition.gate),
      ];
    } else if (step.name === 'Roll back on failure') {
      stepLines = [
        '##[group]Run kubectl rollout undo deployment/titanic-service',
        '##[endgroup]',
        'deployment.apps/titanic-service rolled back',
      ];
    } else {
      stepLines = [
        `##[group]${
          step.name.startsWith('Run ') || step.name.startsWith('Post ')
            ? step.name
            : `Run ${step.name}`
        }`,
        ...genericStepLines(step, context),
      ];
    }
    const gap = perLine(stepLines.length);
    for (const text of stepLines) {
      now += gap;
      emit(text);
    }
    if (stepFailed) {
      emit(`##[error]Process completed with exit code ${exitCode}.`);
      failed = true;
    }
    now = startedAt + duration;
    steps.push({
      number: index + 1,
      name: step.name,
      status: 'completed',
      conclusion: stepFailed ? 'failure' : 'success',
      startedAt: iso(startedAt),
      completedAt: iso(now),
    });
  });

  if (failed) {
    annotations.push(...failureAnnotations(definition.gate, context, exitCode));
  }
  return {
    ...base,
    conclusion: jobConclusion(failed, cancelled),
    completedAt: iso(now),
    steps,
    log: `${lines.join('\n')}\n`,
    annotations,
    runnerId: plan.runnerId,
    runnerName,
  };
}

function jobConclusion(
  failed: boolean,
  cancelled: boolean,
): JobRecord['conclusion'] {
  if (failed) return 'failure';
  return cancelled ? 'cancelled' : 'success';
}
