import { AnnotationRecord, WorldState } from '../../world/records';
import { ExpressionValue } from './expressions';

/*
 * What a step of a job is given and what it gives back: the shared vocabulary of the job runner
 * (jobRun.ts) and the tools that carry out steps (tools/).
 */

export interface StepOutcome {
  /** Log lines, in the tool's own output format. */
  lines: string[];
  conclusion: 'success' | 'failure';
  /** The exit code a failing command had. */
  exitCode?: number;
  /** `steps.<id>.outputs`. */
  outputs?: Record<string, string>;
  /** Check-run annotations the step leaves (e.g. `::error::`, problem matchers). */
  annotations?: AnnotationRecord[];
  /** How long the step takes at time scale 1 when it is simulated; real steps take their time. */
  simulatedSeconds?: number;
}

/** The run a job belongs to, as `github.*` describes it. */
export interface RunFacts {
  repository: string;
  repositoryId: number;
  owner: string;
  branch: string;
  sha: string;
  actor: string;
  event: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  workflowPath: string;
  /** The commit message's first line. */
  title: string;
}

/** A Kubernetes cluster deploy steps act on, like kubectl with a kubeconfig would. */
export interface ClusterAccess {
  server: string;
  token: string;
}

export interface StepInput {
  /** The step's `uses:` action (owner/name@ref), if any. */
  uses?: string;
  /** The step's `run:` script with its `${{ }}` evaluated (shell variables left as written). */
  script?: string;
  /** `with:` inputs, evaluated. */
  with: Record<string, ExpressionValue>;
  /** Workflow, job and step `env:`, evaluated. */
  env: Record<string, string>;
  /** The job's checkout of the pushed tree (empty until a checkout step ran). */
  workspace: string;
  /** `runner.temp` of the job. */
  temp: string;
  /** The step's working directory (absolute, inside the workspace). */
  workingDirectory: string;
  facts: RunFacts;
  /** The world the run records into (code scanning, SonarCloud, artifacts). */
  state: WorldState;
  /** The cluster deploy steps act on; none when the sandbox runs GitHub alone. */
  cluster?: ClusterAccess;
  /** Appends a log line now (for real steps that take their time). */
  emit(line: string): void;
  signal: AbortSignal;
}
