/*
 * GitHub Apps as the sandbox keeps them: the titanic-portal App, its installation on the
 * organisation, the custom deployment protection rules environments enable for it, and the
 * rule checks runs wait on. A leaf module: records.ts and everything else import it.
 */

/** A GitHub App and its webhook (GET/PATCH /app/hook/config on GitHub). */
export interface GitHubAppRecord {
  id: number;
  slug: string;
  name: string;
  description: string;
  ownerLogin: string;
  clientId: string;
  externalUrl: string;
  /** The App's bot account (`<slug>[bot]`): the actor of what its installation tokens do. */
  botLogin: string;
  events: string[];
  permissions: Record<string, 'read' | 'write'>;
  createdAt: string;
  updatedAt: string;
  webhook: {
    url: string;
    /** Signs each delivery (X-Hub-Signature-256); never shown back. */
    secret: string | null;
    contentType: 'json' | 'form';
    insecureSsl: '0' | '1';
  };
  /** The id its deliveries carry as X-GitHub-Hook-ID. */
  hookId: number;
}

/** Where an App is installed, and the installation access token the sandbox issued for it. */
export interface AppInstallationRecord {
  id: number;
  appId: number;
  accountLogin: string;
  token: string;
  createdAt: string;
}

/** A custom deployment protection rule: an environment gated by an App. */
export interface DeploymentProtectionRuleRecord {
  id: number;
  environmentId: number;
  appId: number;
  enabled: boolean;
}

/** One rule's check of one waiting job: requested of the App, then approved or rejected by it. */
export interface ProtectionRuleCheckRecord {
  id: number;
  runId: number;
  jobId: number;
  environmentId: number;
  environmentName: string;
  ruleId: number;
  appId: number;
  state: 'requested' | 'approved' | 'rejected';
  comment: string | null;
  requestedAt: string;
  decidedAt: string | null;
}

export interface AppsState {
  apps: GitHubAppRecord[];
  installations: AppInstallationRecord[];
  protectionRules: DeploymentProtectionRuleRecord[];
  ruleChecks: ProtectionRuleCheckRecord[];
  sequences: { protectionRule: number; ruleCheck: number };
}
