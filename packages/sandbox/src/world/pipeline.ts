import { GateKey } from './records';

/*
 * The titanic-service pipeline (.github/workflows/titanic-service.yml) as the jobs API reports
 * it: job names, dependencies, environments and the steps each job's runner executes.
 */

export const WORKFLOW_PATH = '.github/workflows/titanic-service.yml';
export const WORKFLOW_NAME = 'Titanic service pipeline';
/** The reusable workflows the pipeline calls (GitHub's referenced_workflows of each run). */
export const REUSABLE_WORKFLOWS = [
  '.github/workflows/reusable-gitleaks.yml',
  '.github/workflows/reusable-checkov.yml',
  '.github/workflows/reusable-sonarcloud.yml',
  '.github/workflows/reusable-trivy.yml',
];

export interface StepDefinition {
  name: string;
  seconds: number;
  /** `always` steps run even after a failed step (if: always()); `on-failure` only then. */
  when?: 'success' | 'always' | 'on-failure';
  /** The step whose command fails when the gate fails. */
  gateCheck?: boolean;
}

export interface GateDefinition {
  gate: GateKey;
  jobName: string;
  needs: GateKey[];
  environment: string | null;
  steps: StepDefinition[];
}

const checkout: StepDefinition = {
  name: 'Run actions/checkout@v4',
  seconds: 2,
};
const postCheckout: StepDefinition = {
  name: 'Post Run actions/checkout@v4',
  seconds: 1,
  when: 'always',
};

function deployGate(
  gate: GateKey,
  jobName: string,
  environment: string,
  needs: GateKey[],
): GateDefinition {
  return {
    gate,
    jobName,
    needs,
    environment,
    steps: [
      checkout,
      { name: 'Run azure/setup-kubectl@v4', seconds: 4 },
      { name: 'Configure cluster credentials', seconds: 2 },
      { name: 'Set image', seconds: 3 },
      { name: 'Wait for rollout', seconds: 58, gateCheck: true },
      { name: 'Health check', seconds: 6 },
      { name: 'Roll back on failure', seconds: 14, when: 'on-failure' },
      postCheckout,
    ],
  };
}

export const GATES: readonly GateDefinition[] = [
  {
    gate: 'gitleaks',
    jobName: 'Gitleaks / Secret scan',
    needs: [],
    environment: null,
    steps: [
      { ...checkout, seconds: 3 },
      { name: 'Run gitleaks/gitleaks-action@v2', seconds: 9, gateCheck: true },
      { name: 'Upload SARIF to code scanning', seconds: 4, when: 'always' },
      { name: 'Upload SARIF artifact', seconds: 2, when: 'always' },
      postCheckout,
    ],
  },
  {
    gate: 'checkov',
    jobName: 'Checkov / IaC scan',
    needs: [],
    environment: null,
    steps: [
      checkout,
      {
        name: 'Run bridgecrewio/checkov-action@v12',
        seconds: 27,
        gateCheck: true,
      },
      { name: 'Upload SARIF to code scanning', seconds: 4, when: 'always' },
      { name: 'Upload SARIF artifact', seconds: 2, when: 'always' },
      postCheckout,
    ],
  },
  {
    gate: 'sonarcloud',
    jobName: 'SonarCloud / Quality gate',
    needs: [],
    environment: null,
    steps: [
      { ...checkout, seconds: 4 },
      { name: 'Run actions/setup-node@v4', seconds: 3 },
      { name: 'Run npm ci', seconds: 19 },
      { name: 'Run npm test -- --coverage', seconds: 21 },
      {
        name: 'Run SonarSource/sonarqube-scan-action@v5',
        seconds: 52,
        gateCheck: true,
      },
      { name: 'Post Run actions/setup-node@v4', seconds: 1, when: 'always' },
      postCheckout,
    ],
  },
  {
    gate: 'tests',
    jobName: 'Tests & lint',
    needs: [],
    environment: null,
    steps: [
      checkout,
      { name: 'Run actions/setup-node@v4', seconds: 3 },
      { name: 'Run npm ci', seconds: 18 },
      { name: 'Run npm run lint', seconds: 14 },
      { name: 'Run npm test -- --coverage', seconds: 41, gateCheck: true },
      { name: 'Upload coverage report', seconds: 3, when: 'always' },
      { name: 'Post Run actions/setup-node@v4', seconds: 1, when: 'always' },
      postCheckout,
    ],
  },
  {
    gate: 'build',
    jobName: 'Build image',
    needs: ['gitleaks', 'checkov', 'sonarcloud', 'tests'],
    environment: null,
    steps: [
      checkout,
      { name: 'Run docker/setup-buildx-action@v3', seconds: 6 },
      { name: 'Run docker/login-action@v3', seconds: 1 },
      { name: 'Run docker/build-push-action@v6', seconds: 84, gateCheck: true },
      { name: 'Post Run docker/login-action@v3', seconds: 1, when: 'always' },
      {
        name: 'Post Run docker/setup-buildx-action@v3',
        seconds: 2,
        when: 'always',
      },
      postCheckout,
    ],
  },
  {
    gate: 'trivy',
    jobName: 'Trivy / Image scan',
    needs: ['build'],
    environment: null,
    steps: [
      { name: 'Run aquasecurity/setup-trivy@v0.2.2', seconds: 5 },
      { name: 'Scan image (SARIF)', seconds: 21 },
      { name: 'Upload SARIF to code scanning', seconds: 4, when: 'always' },
      { name: 'Upload SARIF artifact', seconds: 2, when: 'always' },
      {
        name: 'Fail on fixable CRITICAL and HIGH vulnerabilities',
        seconds: 9,
        gateCheck: true,
      },
    ],
  },
  deployGate('deploy-dev', 'Deploy dev', 'dev', ['trivy']),
  deployGate('deploy-staging', 'Deploy staging', 'staging', ['trivy']),
  deployGate('deploy-production', 'Deploy production', 'production', [
    'deploy-staging',
  ]),
];

export function gateDefinition(gate: GateKey): GateDefinition {
  const definition = GATES.find(g => g.gate === gate);
  if (!definition) {
    throw new Error(`Unknown gate ${gate}`);
  }
  return definition;
}

/** The jobs a run of the pipeline has on a branch: develop deploys dev, main deploys staging then production. */
export function gatesForBranch(branch: string): GateDefinition[] {
  return GATES.filter(g => {
    if (g.gate === 'deploy-dev') return branch === 'develop';
    if (g.gate === 'deploy-staging' || g.gate === 'deploy-production') {
      return branch === 'main';
    }
    return true;
  });
}

export const SCANNER_TOOL_BY_GATE: Partial<Record<GateKey, string>> = {
  gitleaks: 'gitleaks',
  checkov: 'Checkov',
  trivy: 'Trivy',
};
