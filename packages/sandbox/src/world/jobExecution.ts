import { CheckovFinding, SecretFinding, Vulnerability } from './findings';
import { GateDefinition, StepDefinition } from './pipeline';
import {
  AnnotationRecord,
  GateKey,
  JobRecord,
  SonarCondition,
  StepRecord,
} from './records';
import {
  CoverageSummary,
  buildOutput,
  checkovOutput,
  describeFailedConditions,
  gitleaksOutput,
  rolloutOutput,
  sonarScannerOutput,
  trivyGateOutput,
  vitestOutput,
} from './toolReports';
import { IMAGE_REPOSITORY } from './releases';

/*
 * Executes one pipeline job "on paper": given when it starts and how it ends, produces the job
 * record GitHub would store — steps with times, the runner's log with per-line timestamps and
 * the check-run annotations. Jobs that start in the future are projected by `projectJob`.
 */

export type JobOutcome =
  | 'success'
  | 'failure'
  | 'skipped'
  | 'cancelled'
  | 'waiting';

export interface JobContext {
  repository: string;
  branch: string;
  headSha: string;
  commitAuthor: string;
  commitDate: string;
  imageTag: string;
  leaks: readonly SecretFinding[];
  checkovFailures: readonly CheckovFinding[];
  checkovPassed: number;
  coverage: CoverageSummary;
  flakyTest: boolean;
  vulnerabilities: readonly Vulnerability[];
  sonarProjectKey: string;
  sonarConditions: readonly SonarCondition[];
  sonarGate: 'OK' | 'ERROR';
  commitsScanned: number;
}

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

export const COVERAGE_THRESHOLD = 70;

const FLAKY_TEST = {
  file: 'test/plugins/database.test.ts',
  name: 'database pool > retries the first connection while PostgreSQL starts',
  error: [
    'Error: Test timed out in 5000ms.',
    'If this is a long-running test, pass a timeout value as the last argument or configure it globally with "testTimeout".',
    ' ❯ test/plugins/database.test.ts:42:3',
  ].join('\n'),
};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** GitHub log timestamps carry seven fractional digits. */
function logStamp(ms: number): string {
  const whole = new Date(Math.floor(ms)).toISOString().slice(0, 19);
  const fraction = String(Math.floor((ms % 1000) * 10000)).padStart(7, '0');
  return `${whole}.${fraction}Z`;
}

function genericStepLines(step: StepDefinition, context: JobContext): string[] {
  const name = step.name.replace(/^Run /, '');
  if (name === 'actions/checkout@v4') {
    return [
      'with:',
      `  repository: ${context.repository}`,
      '  token: ***',
      '  fetch-depth: 0',
      '##[endgroup]',
      `Syncing repository: ${context.repository}`,
      `HEAD is now at ${context.headSha.slice(0, 7)} ${context.branch}`,
    ];
  }
  if (name === 'actions/setup-node@v4') {
    return [
      'with:',
      '  node-version-file: .nvmrc',
      '  cache: npm',
      '##[endgroup]',
      'Found in cache @ /opt/hostedtoolcache/node/22.12.0/x64',
      'Environment details',
      '  node: v22.12.0',
      '  npm: 10.9.0',
    ];
  }
  if (name === 'npm ci') {
    return [
      'npm ci',
      '##[endgroup]',
      '',
      'added 412 packages, and audited 413 packages in 17s',
      '',
      'found 0 vulnerabilities',
    ];
  }
  if (name === 'npm run lint') {
    return [
      'npm run lint',
      '##[endgroup]',
      '',
      '> titanic-service@1.0.0 lint',
      '> eslint . && prettier --check .',
      '',
      'Checking formatting...',
      'All matched files use Prettier code style!',
    ];
  }
  if (step.name.startsWith('Upload SARIF to code scanning')) {
    return [
      'with:',
      '  category: /language:sarif',
      '##[endgroup]',
      'Uploading results',
      'Successfully uploaded results',
    ];
  }
  if (step.name.startsWith('Upload')) {
    return [
      'with:',
      '  retention-days: 90',
      '##[endgroup]',
      'Artifact upload finished successfully',
    ];
  }
  if (name.startsWith('Post ') || step.name.startsWith('Post ')) {
    return ['Post job cleanup.'];
  }
  return ['##[endgroup]'];
}

interface StepRun {
  lines: string[];
  failed: boolean;
  exitCode: number;
}

function gateStepRun(
  gate: GateKey,
  context: JobContext,
  fails: boolean,
  at: number,
): StepRun {
  const image = `${IMAGE_REPOSITORY}:${context.imageTag}`;
  switch (gate) {
    case 'gitleaks':
      return {
        lines: [
          'with:',
          '  config: .gitleaks.toml',
          '##[endgroup]',
          `[${context.repository}] is an organization. License key is required.`,
          'gitleaks cmd: gitleaks git --redact -v --exit-code=2 --report-format=sarif --report-path=results.sarif --log-level=debug --log-opts=--no-merges --first-parent ' +
            `${context.headSha}^..${context.headSha}`,
          ...gitleaksOutput({
            at: iso(at),
            commitSha: context.headSha,
            commitAuthor: context.commitAuthor,
            commitDate: context.commitDate,
            leaks: fails ? context.leaks : [],
            commitsScanned: context.commitsScanned,
          }),
          ...(fails
            ? ['##[warning]🛑 Leaks detected, see job summary for details']
            : ['✅ No leaks detected']),
        ],
        failed: fails,
        exitCode: 2,
      };
    case 'checkov':
      return {
        lines: [
          'with:',
          '  directory: infra',
          '  output_format: cli,sarif',
          '  output_file_path: console,results.sarif',
          '  baseline: infra/.checkov.baseline',
          '##[endgroup]',
          ...checkovOutput({
            passed: context.checkovPassed,
            failures: fails ? context.checkovFailures : [],
          }),
        ],
        failed: fails,
        exitCode: 1,
      };
    case 'sonarcloud':
      return {
        lines: [
          'with:',
          '  args: -Dsonar.qualitygate.wait=true',
          '##[endgroup]',
          ...sonarScannerOutput({
            at: iso(at),
            branch: context.branch,
            qualityGate: fails ? 'ERROR' : 'OK',
            projectKey: context.sonarProjectKey,
          }),
          ...(fails
            ? [
                `##[error]Quality Gate failed: ${describeFailedConditions(
                  context.sonarConditions,
                )}`,
              ]
            : []),
        ],
        failed: fails,
        exitCode: 3,
      };
    case 'tests': {
      const coverage =
        fails && !context.flakyTest
          ? context.coverage
          : passingCoverage(context.coverage);
      return {
        lines: [
          'npm test -- --coverage',
          '##[endgroup]',
          '',
          '> titanic-service@1.0.0 test',
          '> vitest run --coverage',
          ...vitestOutput({
            at: iso(at),
            coverage,
            threshold: COVERAGE_THRESHOLD,
            testFiles: 6,
            tests: 41,
            failedTest: fails && context.flakyTest ? FLAKY_TEST : null,
          }),
        ],
        failed: fails,
        exitCode: 1,
      };
    }
    case 'build':
      return {
        lines: [
          'with:',
          '  push: true',
          `  tags: ${image}`,
          '##[endgroup]',
          ...buildOutput({
            image,
            tags: [context.imageTag],
            commitSha: context.headSha,
          }),
        ],
        failed: fails,
        exitCode: 1,
      };
    case 'trivy':
      return {
        lines: [
          `trivy image --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1 --format table ${image}`,
          '##[endgroup]',
          ...trivyGateOutput({
            at: iso(at),
            image,
            present: context.vulnerabilities,
          }),
        ],
        failed: fails,
        exitCode: 1,
      };
    default: {
      const namespace = `titanic-${gate
        .replace('deploy-', '')
        .replace('production', 'prod')}`;
      return {
        lines: [
          `kubectl -n ${namespace} rollout status deployment/titanic-service --timeout=300s`,
          '##[endgroup]',
          ...(fails
            ? [
                `Waiting for deployment "titanic-service" rollout to finish: 1 out of 3 new replicas have been updated...`,
                'error: deployment "titanic-service" exceeded its progress deadline',
              ]
            : rolloutOutput({ namespace, image, replicas: 3 })),
        ],
        failed: fails,
        exitCode: 1,
      };
    }
  }
}

function passingCoverage(coverage: CoverageSummary): CoverageSummary {
  return coverage.lines >= COVERAGE_THRESHOLD
    ? coverage
    : { statements: 82.14, branches: 74.6, functions: 85.71, lines: 82.92 };
}

function deploySetImageLines(gate: GateKey, context: JobContext): string[] {
  const namespace = `titanic-${gate
    .replace('deploy-', '')
    .replace('production', 'prod')}`;
  return [
    `kubectl -n ${namespace} set image deployment/titanic-service titanic-service=${IMAGE_REPOSITORY}:${context.imageTag}`,
    '##[endgroup]',
    'deployment.apps/titanic-service image updated',
  ];
}

function healthLines(gate: GateKey): string[] {
  const environment = gate.replace('deploy-', '');
  return [
    `curl -fsS --retry 5 --retry-delay 2 https://titanic-${environment}.acme-corp.example/health`,
    '##[endgroup]',
    '{"status":"ok"}',
  ];
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

function failureAnnotations(
  gate: GateKey,
  context: JobContext,
  exitCode: number,
): AnnotationRecord[] {
  const annotations: AnnotationRecord[] = [];
  if (gate === 'tests' && context.flakyTest) {
    annotations.push({
      path: FLAKY_TEST.file,
      startLine: 42,
      endLine: 42,
      startColumn: 3,
      endColumn: 3,
      level: 'failure',
      title: `${FLAKY_TEST.file} > ${FLAKY_TEST.name}`,
      message: 'Error: Test timed out in 5000ms.',
      rawDetails: FLAKY_TEST.error,
    });
  }
  if (gate === 'sonarcloud') {
    annotations.push({
      path: '.github',
      startLine: 1,
      endLine: 1,
      startColumn: null,
      endColumn: null,
      level: 'failure',
      title: '',
      message: `Quality Gate failed: ${describeFailedConditions(
        context.sonarConditions,
      )}`,
      rawDetails: '',
    });
  }
  if (gate === 'gitleaks') {
    annotations.push({
      path: '.github',
      startLine: 1,
      endLine: 1,
      startColumn: null,
      endColumn: null,
      level: 'warning',
      title: '',
      message: '🛑 Leaks detected, see job summary for details',
      rawDetails: '',
    });
  }
  annotations.push({
    path: '.github',
    startLine: 1,
    endLine: 1,
    startColumn: null,
    endColumn: null,
    level: 'failure',
    title: '',
    message: `Process completed with exit code ${exitCode}.`,
    rawDetails: '',
  });
  return annotations;
}

/**
 * The job as GitHub reports it at `now`: jobs whose recorded times lie in the future are
 * queued or in progress, with the steps and log lines that already happened.
 */
export function projectJob(job: JobRecord, now: number): JobRecord {
  if (job.status === 'waiting' && now < Date.parse(job.createdAt)) {
    return { ...job, status: 'queued' };
  }
  if (job.status !== 'completed' || job.completedAt === null) return job;
  const completedAt = Date.parse(job.completedAt);
  if (now >= completedAt) return job;
  const startedAt = Date.parse(job.startedAt);
  if (now < startedAt) {
    return {
      ...job,
      status: 'queued',
      conclusion: null,
      completedAt: null,
      steps: [],
      log: '',
      annotations: [],
      runnerId: null,
      runnerName: null,
    };
  }
  const steps = job.steps.map(step => {
    const stepStarted = step.startedAt ? Date.parse(step.startedAt) : 0;
    const stepCompleted = step.completedAt ? Date.parse(step.completedAt) : 0;
    if (now >= stepCompleted) return step;
    if (now >= stepStarted) {
      return {
        ...step,
        status: 'in_progress' as const,
        conclusion: null,
        completedAt: null,
      };
    }
    return {
      ...step,
      status: 'pending' as const,
      conclusion: null,
      startedAt: null,
      completedAt: null,
    };
  });
  const visibleLog = job.log
    .split('\n')
    .filter(line => line && Date.parse(`${line.slice(0, 19)}Z`) <= now)
    .join('\n');
  return {
    ...job,
    status: 'in_progress',
    conclusion: null,
    completedAt: null,
    steps,
    log: visibleLog ? `${visibleLog}\n` : '',
    annotations: [],
  };
}
