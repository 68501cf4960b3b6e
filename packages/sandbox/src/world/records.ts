import type { HookRecord } from './hookRecords';
import { AppsState } from './appRecords';
import { SonarCondition, SonarProjectRecord } from './sonarRecords';

export * from './appRecords';
export * from './sonarRecords';

/*
 * The sandbox's stored state. Plain JSON-serializable records (a snapshot is this state
 * written with JSON.stringify); the HTTP layers turn them into GitHub / SonarCloud shapes.
 */

export type GateKey =
  | 'gitleaks'
  | 'checkov'
  | 'sonarcloud'
  | 'tests'
  | 'build'
  | 'trivy'
  | 'deploy-dev'
  | 'deploy-staging'
  | 'deploy-production';

export type RunStatus =
  | 'queued'
  | 'in_progress'
  | 'waiting'
  | 'pending'
  | 'requested'
  | 'completed';

export type Conclusion =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'skipped'
  | 'neutral'
  | 'timed_out'
  | 'action_required';

export interface UserRecord {
  id: number;
  login: string;
  type: 'User' | 'Organization' | 'Bot';
  name: string;
  email: string;
  siteAdmin: boolean;
}

export interface TeamRecord {
  id: number;
  slug: string;
  name: string;
  description: string;
  members: string[];
}

/** A member of the organisation that owns the seeded repository, and their role in it. */
export interface OrganizationMemberRecord {
  login: string;
  role: 'ADMIN' | 'MEMBER';
}

export interface TokenRecord {
  token: string;
  login: string;
  /** `write` may re-run, cancel, review deployments and upload SARIF; `read` only reads. */
  permission: 'read' | 'write';
  /** OAuth scopes of a token issued through the web flow (`X-OAuth-Scopes`). */
  scopes?: string[];
  /** An installation access token (`ghs_…`) acts for that App installation. */
  installationId?: number;
  /** When an issued installation token stops working (RFC 3339); others do not expire. */
  expiresAt?: string;
}

export interface CommitRecord {
  /** The repository the record belongs to (RepositoryRecord.id or a created repository's id). */
  repositoryId: number;
  sha: string;
  treeSha: string;
  message: string;
  authorLogin: string;
  date: string;
  parents: string[];
  branches: string[];
}

export interface RepositoryRecord {
  id: number;
  owner: string;
  name: string;
  description: string;
  defaultBranch: string;
  branches: string[];
  private: boolean;
  language: string;
  topics: string[];
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
}

export interface WorkflowRecord {
  id: number;
  repositoryId: number;
  name: string;
  path: string;
  createdAt: string;
  updatedAt: string;
}

/*
 * What a run's jobs print and report (kept on the run, so a re-run replays the same commit):
 * the findings each scanner reports and the test coverage.
 */

export interface SecretFinding {
  ruleId: string;
  description: string;
  path: string;
  line: number;
  /** What precedes the redacted secret on the line, e.g. `const key = "`. */
  linePrefix: string;
  lineSuffix: string;
  entropy: number;
}

export interface CheckovFinding {
  checkId: string;
  name: string;
  resource: string;
  path: string;
  startLine: number;
  endLine: number;
  guide: string;
  /** Checks that the pipeline's baseline accepts (reported, never failing the gate). */
  baseline: boolean;
}

export interface Vulnerability {
  id: string;
  pkgName: string;
  installedVersion: string;
  fixedVersion: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  title: string;
  /** `os` (alpine apk) or `node` (node-pkg in the image). */
  kind: 'os' | 'node';
  cvss: number;
  /** Run index range [from, until) of the pipeline history in which the image contains it. */
  presentFrom: number;
  presentUntil: number;
}

export interface CoverageSummary {
  statements: number;
  branches: number;
  functions: number;
  lines: number;
}

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

export interface RunRecord {
  id: number;
  repositoryId: number;
  runNumber: number;
  runAttempt: number;
  workflowId: number;
  name: string;
  displayTitle: string;
  branch: string;
  headSha: string;
  event: 'push' | 'pull_request' | 'workflow_dispatch';
  status: RunStatus;
  conclusion: Conclusion | null;
  actorLogin: string;
  triggeringActorLogin: string;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  checkSuiteId: number;
  pullRequestNumber: number | null;
  /** The gate a fresh attempt fails at again (a re-run of the same commit fails the same way), if any. */
  failingGate: GateKey | null;
  /** A flaky failure passes when re-run. */
  flaky: boolean;
  /** Everything the run's jobs print and report, so a re-run replays the same commit. */
  context: JobContext;
  /** Reusable workflows the run called (`.github/workflows/<file>`), GitHub's referenced_workflows. */
  referencedWorkflows: string[];
}

export interface StepRecord {
  number: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'pending';
  conclusion: 'success' | 'failure' | 'skipped' | 'cancelled' | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface AnnotationRecord {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number | null;
  endColumn: number | null;
  level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
  rawDetails: string;
}

/** A job's own message, on no file: GitHub puts these on `.github`, line 1. */
export function workflowAnnotation(
  level: AnnotationRecord['level'],
  message: string,
): AnnotationRecord {
  return {
    path: '.github',
    startLine: 1,
    endLine: 1,
    startColumn: null,
    endColumn: null,
    level,
    title: '',
    message,
    rawDetails: '',
  };
}

export interface JobRecord {
  id: number;
  runId: number;
  runAttempt: number;
  name: string;
  /** The gate the job is, when it is one (jobs of created repositories' own workflows may be none). */
  gate: GateKey | null;
  status:
    | 'queued'
    | 'in_progress'
    | 'completed'
    | 'waiting'
    | 'requested'
    | 'pending';
  conclusion: Conclusion | null;
  createdAt: string;
  startedAt: string;
  completedAt: string | null;
  steps: StepRecord[];
  log: string;
  annotations: AnnotationRecord[];
  runnerId: number | null;
  runnerName: string | null;
  /** GitHub Actions environment the job deploys to, for deploy jobs. */
  environment: string | null;
}

export interface ArtifactFileRecord {
  name: string;
  content: string;
}

export interface ArtifactRecord {
  id: number;
  repositoryId: number;
  runId: number;
  name: string;
  files: ArtifactFileRecord[];
  sizeInBytes: number;
  digest: string;
  createdAt: string;
  expiresAt: string;
}

export interface EnvironmentReviewerRecord {
  type: 'User' | 'Team';
  /** login for users, slug for teams */
  name: string;
}

export interface EnvironmentRecord {
  id: number;
  repositoryId: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  waitTimer: number;
  reviewers: EnvironmentReviewerRecord[];
  preventSelfReview: boolean;
  protectedBranchesOnly: boolean;
  url: string;
}

export interface DeploymentStatusRecord {
  id: number;
  state:
    | 'error'
    | 'failure'
    | 'inactive'
    | 'pending'
    | 'success'
    | 'queued'
    | 'in_progress'
    | 'waiting';
  creatorLogin: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  repositoryId: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  creatorLogin: string;
  payload: Record<string, unknown>;
  productionEnvironment: boolean;
  runId: number | null;
  imageTag: string | null;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface ApprovalRecord {
  runId: number;
  environmentNames: string[];
  state: 'approved' | 'rejected';
  userLogin: string;
  comment: string;
  createdAt: string;
}

export interface SarifUploadRecord {
  id: string;
  repositoryId: number;
  ref: string;
  commitSha: string;
  toolNames: string[];
  resultsCount: number;
  createdAt: string;
  processingStatus: 'pending' | 'complete' | 'failed';
  errors: string[] | null;
}

/** One tool's analysis within a SARIF upload (GET /code-scanning/analyses). */
export interface AnalysisRecord {
  id: number;
  repositoryId: number;
  sarifId: string;
  ref: string;
  commitSha: string;
  analysisKey: string;
  category: string;
  toolName: string;
  toolVersion: string | null;
  resultsCount: number;
  rulesCount: number;
  createdAt: string;
}

export interface AlertLocationRecord {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number;
  endColumn: number;
}

export interface AlertInstanceRecord {
  ref: string;
  commitSha: string;
  analysisKey: string;
  category: string;
  state: 'open' | 'fixed';
  message: string;
  location: AlertLocationRecord;
  updatedAt: string;
  fixedAt: string | null;
}

export interface AlertRuleRecord {
  id: string;
  name: string;
  description: string;
  fullDescription: string;
  /** SARIF level mapped to GitHub's rule severity. */
  severity: 'none' | 'note' | 'warning' | 'error';
  securitySeverityLevel: 'low' | 'medium' | 'high' | 'critical' | null;
  tags: string[];
  help: string | null;
  helpUri: string | null;
}

export interface AlertRecord {
  number: number;
  repositoryId: number;
  toolName: string;
  toolVersion: string | null;
  toolGuid: string | null;
  rule: AlertRuleRecord;
  /** Stable identity of the finding across analyses: tool, rule and location. */
  fingerprint: string;
  createdAt: string;
  updatedAt: string;
  dismissed: {
    byLogin: string;
    at: string;
    reason: 'false positive' | "won't fix" | 'used in tests';
    comment: string | null;
  } | null;
  instances: AlertInstanceRecord[];
}

/*
 * Records that belong to a repository carry its id (`repositoryId`): the seeded repository's and
 * those of repositories created through the API live in the same lists, found per repository
 * through repositoryIndex.ts.
 */
export type { HookRecord };

export interface WorldState {
  version: 1;
  /** The seeded repository, acme-corp/titanic-service. */
  repository: RepositoryRecord;
  /**
   * Further repositories whose records the world holds, e.g. a generated organisation
   * (scaleWorld.ts). Like repositories created through the API, snapshots leave them out.
   */
  generatedRepositories?: RepositoryRecord[];
  users: UserRecord[];
  teams: TeamRecord[];
  /** People of the organisation (teams' members are among them; outsiders are not). */
  organizationMembers: OrganizationMemberRecord[];
  githubTokens: TokenRecord[];
  sonarTokens: string[];
  commits: CommitRecord[];
  workflows: WorkflowRecord[];
  runs: RunRecord[];
  jobs: JobRecord[];
  artifacts: ArtifactRecord[];
  environments: EnvironmentRecord[];
  deployments: DeploymentRecord[];
  approvals: ApprovalRecord[];
  sarifUploads: SarifUploadRecord[];
  analyses: AnalysisRecord[];
  alerts: AlertRecord[];
  sonar: SonarProjectRecord[];
  hooks: HookRecord[];
  /** GitHub Apps and their protection rules (absent in snapshots taken before they existed). */
  apps?: AppsState;
  sequences: {
    run: number;
    job: number;
    artifact: number;
    deployment: number;
    deploymentStatus: number;
    alert: number;
    analysis: number;
    checkSuite: number;
    /** Workflows and environments of created repositories (the seeded ones have fixed ids). */
    workflow: number;
    environment: number;
    hook: number;
  };
}
