/* The parts of GitHub REST responses the delivery backend reads. */

export interface GitHubRepository {
  name: string;
  full_name: string;
  html_url: string;
  default_branch: string;
  owner: { login: string };
}

export interface GitHubRun {
  id: number;
  name?: string | null;
  path?: string;
  run_number: number;
  run_attempt?: number;
  head_branch: string | null;
  head_sha: string;
  display_title?: string;
  head_commit?: { message?: string } | null;
  event: string;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
  html_url: string;
  actor?: { login: string } | null;
}

export interface GitHubJobStep {
  name: string;
  status: string;
  conclusion: string | null;
  number: number;
}

export interface GitHubJob {
  id: number;
  run_id: number;
  run_attempt?: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  html_url: string | null;
  steps?: GitHubJobStep[];
}

export interface GitHubAlert {
  number: number;
  created_at: string;
  updated_at?: string | null;
  html_url: string;
  state: string;
  fixed_at?: string | null;
  dismissed_at?: string | null;
  rule: {
    id?: string | null;
    name?: string | null;
    description?: string | null;
    severity?: string | null;
    security_severity_level?: string | null;
    help_uri?: string | null;
    tags?: string[] | null;
  };
  tool: { name?: string | null };
  most_recent_instance?: {
    ref?: string;
    message?: { text?: string };
    location?: { path?: string; start_line?: number; end_line?: number };
  };
}

export interface GitHubApproval {
  state: 'approved' | 'rejected';
  comment?: string;
  user?: { login: string } | null;
  environments: Array<{ name?: string }>;
}
