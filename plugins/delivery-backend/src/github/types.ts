import type { RestEndpointMethodTypes } from '@octokit/rest';

/*
 * The parts of GitHub's REST answers the delivery backend reads, typed from Octokit's own
 * description of each endpoint: only the fields read are picked, so test data stays small and a
 * field GitHub renames shows up as a type error here.
 */

/** One repository of a GitHub host, as an entity's github.com/project-slug names it. */
export interface RepositoryRef {
  host: string;
  owner: string;
  name: string;
}

/** `owner/name` in lower case: how the portal's own tables name a repository. */
export function fullName(repo: Pick<RepositoryRef, 'owner' | 'name'>): string {
  return `${repo.owner}/${repo.name}`.toLocaleLowerCase('en-US');
}

type Answer<
  Scope extends keyof RestEndpointMethodTypes,
  Method extends keyof RestEndpointMethodTypes[Scope],
> = RestEndpointMethodTypes[Scope][Method] extends {
  response: { data: infer Data };
}
  ? Data
  : never;

/** GET /repos/{owner}/{repo} */
export type GitHubRepository = Pick<
  Answer<'repos', 'get'>,
  'name' | 'full_name' | 'html_url' | 'default_branch' | 'owner'
>;

/** GET /repos/{owner}/{repo}/actions/runs/{run_id}, and each run of the run lists. */
export type GitHubRun = Pick<
  Answer<'actions', 'getWorkflowRun'>,
  | 'id'
  | 'name'
  | 'path'
  | 'run_number'
  | 'run_attempt'
  | 'head_branch'
  | 'head_sha'
  | 'display_title'
  | 'head_commit'
  | 'event'
  | 'status'
  | 'conclusion'
  | 'created_at'
  | 'updated_at'
  | 'run_started_at'
  | 'html_url'
  | 'actor'
  | 'triggering_actor'
>;

/** GET /repos/{owner}/{repo}/actions/runs */
export interface GitHubRunList {
  total_count: number;
  workflow_runs: GitHubRun[];
}

/** Each job of GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs. */
export type GitHubJob = Pick<
  Answer<'actions', 'getJobForWorkflowRun'>,
  | 'id'
  | 'run_id'
  | 'run_attempt'
  | 'name'
  | 'status'
  | 'conclusion'
  | 'started_at'
  | 'completed_at'
  | 'html_url'
  | 'steps'
>;

/** Each review of GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals. */
export type GitHubApproval = Pick<
  Answer<'actions', 'getReviewsForRun'>[number],
  'state' | 'comment' | 'user' | 'environments'
>;

/** Each annotation of GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations. */
export type GitHubCheckAnnotation = Pick<
  Answer<'checks', 'listAnnotations'>[number],
  'annotation_level' | 'title' | 'message'
>;

type CodeScanningAlert = Answer<'codeScanning', 'listAlertsForRepo'>[number];

/**
 * Each alert of GET /repos/{owner}/{repo}/code-scanning/alerts. GitHub's list answers carry the
 * rule's security severity and help link too, as the single-alert answer describes them.
 */
export type GitHubAlert = Pick<
  CodeScanningAlert,
  | 'number'
  | 'created_at'
  | 'updated_at'
  | 'html_url'
  | 'state'
  | 'fixed_at'
  | 'dismissed_at'
  | 'tool'
  | 'most_recent_instance'
> & {
  rule: Pick<
    Answer<'codeScanning', 'getAlert'>['rule'],
    | 'id'
    | 'name'
    | 'description'
    | 'severity'
    | 'security_severity_level'
    | 'help_uri'
  >;
};

/** Each deployment of GET /repos/{owner}/{repo}/deployments. */
export type GitHubDeployment = Pick<
  Answer<'repos', 'listDeployments'>[number],
  | 'id'
  | 'sha'
  | 'ref'
  | 'environment'
  | 'description'
  | 'creator'
  | 'created_at'
>;

/** Each status of GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses. */
export type GitHubDeploymentStatus = Pick<
  Answer<'repos', 'listDeploymentStatuses'>[number],
  | 'state'
  | 'description'
  | 'environment_url'
  | 'log_url'
  | 'creator'
  | 'created_at'
>;

/** Each environment of GET /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments. */
export type GitHubPendingDeployment = Pick<
  Answer<'actions', 'getPendingDeploymentsForRun'>[number],
  | 'environment'
  | 'wait_timer'
  | 'wait_timer_started_at'
  | 'current_user_can_approve'
  | 'reviewers'
>;
