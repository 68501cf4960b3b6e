/*
 * What the deployment history is told, one fact at a time: GitHub's deployment, deployment_status
 * and workflow_run (as webhook payloads carry them and as the REST API answers them: the same
 * fields), and the portal's own rollbacks of production. The events path (GitHub webhooks) and
 * the bounded backfill both hand facts to DeploymentHistory.record.
 */

/** A deployment as GitHub's REST answers and `deployment` webhook payloads carry it. */
export interface DeploymentPayload {
  id: number;
  sha: string;
  ref: string;
  /** `deploy`, or e.g. `deploy:rollback` when the pipeline rolls back. */
  task?: string | null;
  environment: string;
  description?: string | null;
  creator?: { login: string } | null;
  created_at: string;
  /** Set by some pipelines; GitHub leaves it empty. The run is found from statuses' log_url otherwise. */
  payload?: unknown;
}

/** A deployment status as GitHub's REST answers and `deployment_status` webhook payloads carry it. */
export interface DeploymentStatusPayload {
  id: number;
  state: string;
  created_at: string;
  description?: string | null;
  log_url?: string | null;
  target_url?: string | null;
}

/** A workflow run as GitHub's REST answers and `workflow_run` webhook payloads carry it. */
export interface WorkflowRunPayload {
  id: number;
  run_number: number;
  name?: string | null;
  display_title?: string;
  path: string;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  html_url: string;
}

/** A rollback of production made in the portal, from its audit trail. */
export interface PortalRollback {
  auditId: number;
  entityRef: string;
  /** Our environment name, e.g. prod. */
  environment: string;
  actor: string;
  at: string;
  /** The rollout's phase as the audit trail last recorded it. */
  phase: string | null;
  completedAt: string | null;
}

/** `repository` is `owner/name` on the configured GitHub host. */
export type DeliveryFact =
  | { kind: 'deployment'; repository: string; deployment: DeploymentPayload }
  | {
      kind: 'deployment_status';
      repository: string;
      deployment: DeploymentPayload;
      status: DeploymentStatusPayload;
    }
  | { kind: 'workflow_run'; repository: string; run: WorkflowRunPayload }
  | { kind: 'portal_rollback'; repository: string; rollback: PortalRollback };
