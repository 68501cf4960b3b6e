import { GateKey } from '../../world/records';
import { StepInput, StepOutcome } from './stepTypes';
import { simulatedCheckov } from './tools/checkov';
import { gitleaksScan, isGitleaksStep } from './tools/gitleaks';
import { metadataTags, simulatedBuild } from './tools/imageBuild';
import {
  healthCheck,
  isHealthCheck,
  isKubectlScript,
  kubectlStep,
} from './tools/kubectl';
import { isNpmScript, runNpmForReal, simulatedNpm } from './tools/serviceTests';
import {
  exportSonarIssues,
  isSonarIssuesExport,
  simulatedSonarAnalysis,
} from './tools/sonarScanner';
import { simulatedTrivy } from './tools/trivy';
import {
  downloadArtifact,
  scriptWrites,
  uploadArtifact,
  uploadSarif,
} from './tools/workspaceSteps';

/*
 * What each step of a workflow does in the sandbox, chosen by its `uses:` action or its `run:`
 * script: the gates' tools (tools/), code scanning and artifact uploads, the deploy job's
 * kubectl commands, and for anything else an honest "not run" line.
 */

export type StepKind =
  | 'checkout'
  | 'gitleaks'
  | 'checkov'
  | 'sonar'
  | 'sonar-export'
  | 'npm'
  | 'metadata'
  | 'build'
  | 'trivy'
  | 'kubectl'
  | 'health'
  | 'upload-sarif'
  | 'upload-artifact'
  | 'download-artifact'
  | 'action'
  | 'script';

function action(uses: string | undefined): string {
  return (uses ?? '').split('@')[0].toLowerCase();
}

export function kindOf(step: { uses?: string; run?: string }): StepKind {
  const name = action(step.uses);
  if (isGitleaksStep(step.uses, step.run)) return 'gitleaks';
  if (name === 'actions/checkout') return 'checkout';
  if (name === 'bridgecrewio/checkov-action') return 'checkov';
  if (name.startsWith('sonarsource/')) return 'sonar';
  if (name === 'docker/metadata-action') return 'metadata';
  if (name === 'docker/build-push-action') return 'build';
  if (name === 'aquasecurity/trivy-action') return 'trivy';
  if (name === 'github/codeql-action/upload-sarif') return 'upload-sarif';
  if (name === 'actions/upload-artifact') return 'upload-artifact';
  if (name === 'actions/download-artifact') return 'download-artifact';
  if (step.uses) return 'action';
  if (isSonarIssuesExport(step.run)) return 'sonar-export';
  if (isNpmScript(step.run)) return 'npm';
  if (isKubectlScript(step.run)) return 'kubectl';
  if (isHealthCheck(step.run)) return 'health';
  return 'script';
}

/** The gate a job is, from what its steps do (deploy jobs by their environment). */
export function gateOfSteps(
  kinds: readonly StepKind[],
  environment: string | undefined,
  runsTests: boolean,
): GateKey | null {
  if (environment && kinds.includes('kubectl')) {
    const byEnvironment: Record<string, GateKey> = {
      dev: 'deploy-dev',
      staging: 'deploy-staging',
      production: 'deploy-production',
    };
    return byEnvironment[environment] ?? null;
  }
  if (kinds.includes('gitleaks')) return 'gitleaks';
  if (kinds.includes('checkov')) return 'checkov';
  if (kinds.includes('sonar')) return 'sonarcloud';
  if (kinds.includes('trivy')) return 'trivy';
  if (kinds.includes('build')) return 'build';
  return runsTests ? 'tests' : null;
}

export interface DispatchOptions {
  realTests: boolean;
  /** The service's directory in the checkout: its npm steps run for real under realTests. */
  serviceDirectory: string | undefined;
  defaultBranch: string;
  checkout(): Promise<string[]>;
}

function otherAction(input: StepInput): StepOutcome {
  const name = action(input.uses);
  const lines: string[] = [];
  if (name === 'actions/setup-node')
    lines.push(
      `[sandbox] The sandbox's Node.js ${
        process.version
      } stands in for node ${String(input.with['node-version'] ?? '')}.`,
    );
  else
    lines.push(
      `[sandbox] SIMULATED: ${name} did not run; it is reported as passing.`,
    );
  return { lines, conclusion: 'success', simulatedSeconds: 2 };
}

function script(
  input: StepInput,
): StepOutcome & { env?: Record<string, string> } {
  const writes = scriptWrites(input.script ?? '', input.env);
  if (writes) {
    return {
      env: writes.env,
      lines: [
        ...Object.entries(writes.outputs).map(
          ([key, value]) => `${key}=${value}`,
        ),
        ...(writes.other.length > 0
          ? [
              '[sandbox] Only the $GITHUB_OUTPUT and $GITHUB_ENV lines of this script were evaluated.',
            ]
          : []),
      ],
      conclusion: 'success',
      outputs: writes.outputs,
      simulatedSeconds: 1,
    };
  }
  return {
    lines: [
      '[sandbox] SIMULATED: the script did not run; it is reported as passing.',
    ],
    conclusion: 'success',
    simulatedSeconds: 2,
  };
}

/** Carries out one step; the environment `$GITHUB_ENV` lines set is returned with the outcome. */
export async function carryOut(
  kind: StepKind,
  input: StepInput,
  options: DispatchOptions,
): Promise<StepOutcome & { env?: Record<string, string> }> {
  switch (kind) {
    case 'checkout':
      return {
        lines: await options.checkout(),
        conclusion: 'success',
        simulatedSeconds: 2,
      };
    case 'gitleaks':
      return gitleaksScan(input);
    case 'checkov':
      return simulatedCheckov(input);
    case 'sonar':
      return simulatedSonarAnalysis(input, options.defaultBranch);
    case 'sonar-export':
      return exportSonarIssues(input);
    case 'npm': {
      const inService =
        options.serviceDirectory !== undefined &&
        input.workingDirectory === options.serviceDirectory;
      return options.realTests && inService
        ? runNpmForReal(input)
        : simulatedNpm(input);
    }
    case 'metadata':
      return metadataTags(input);
    case 'build':
      return simulatedBuild(input);
    case 'trivy':
      return simulatedTrivy(input);
    case 'kubectl':
      return kubectlStep(input);
    case 'health':
      return healthCheck(input);
    case 'upload-sarif':
      return uploadSarif(input);
    case 'upload-artifact':
      return uploadArtifact(input);
    case 'download-artifact':
      return downloadArtifact(input);
    case 'action':
      return otherAction(input);
    default:
      return script(input);
  }
}
