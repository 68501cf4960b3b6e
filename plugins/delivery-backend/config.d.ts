export interface Config {
  /** Delivery dashboards: pipeline gates, re-runs and scan results of catalog entities. */
  delivery?: {
    github?: {
      /**
       * The `integrations.github` host the entities' repositories live on. Default: the only
       * configured GitHub integration, else github.com. Its apiBaseUrl decides where calls go.
       */
      host?: string;
      /**
       * Only runs of this workflow file (e.g. titanic-service.yml) count as the pipeline.
       * Default: every workflow's runs.
       */
      workflow?: string;
      /**
       * Whose GitHub identity reviews a waiting deployment. `portal` (default): the portal's
       * integration token, with the person named in the comment. `reviewer`: the signed-in
       * person's own GitHub token (GitHub sign-in), sent with that review request only and never
       * stored, so GitHub itself enforces required reviewers and prevent-self-review.
       */
      reviewWith?: 'portal' | 'reviewer';
      /**
       * The portal as a custom deployment protection rule. The portal's GitHub identity
       * (integrations.github) must be a GitHub App, enabled as a rule on the environments it
       * gates, whose webhook is the events path (`/api/events/http/github`, signed).
       */
      protectionRule?: {
        /**
         * Record GitHub's deployment_protection_rule requests and answer them with the
         * decisions made in the portal (default false).
         */
        enabled?: boolean;
      };
    };
    cache?: {
      /**
       * Seconds a GitHub or SonarCloud answer is served without asking again (default 60).
       * After that the backend revalidates with If-None-Match; a 304 costs no rate limit.
       */
      freshSeconds?: number;
      /** Seconds cached answers are kept as fallback when the source fails (default 604800). */
      keepSeconds?: number;
      /**
       * Seconds a caller's entity lookup and delivery.read decision are reused (default 5; 0
       * turns it off). Re-runs always ask the permission framework afresh.
       */
      accessSeconds?: number;
    };
    /**
     * The pipeline's gates in order. A run's job belongs to the first gate with a matching
     * pattern (case-insensitive; `*` matches anything). Default: the titanic pipeline's
     * Gitleaks, Checkov, SonarCloud, tests & coverage, build, Trivy and deploy jobs.
     */
    gates?: Array<{
      id: string;
      title: string;
      jobs: string[];
    }>;
    sonarcloud?: {
      /** Default https://sonarcloud.io */
      baseUrl?: string;
      /**
       * A SonarCloud user token allowed to browse the projects.
       * @visibility secret
       */
      token?: string;
    };
    /** Runs the findings trend covers by default (default 10). */
    trendRuns?: number;
    /** Kubernetes clusters the environments view reads and rollbacks patch. */
    kubernetes?: {
      clusters?: Array<{
        name: string;
        /** The API server, e.g. https://k8s.example.com or the sandbox's http://127.0.0.1:7081 */
        url: string;
        /**
         * A service account token that may get/list deployments, replicasets and pods and patch
         * deployments in the environments' namespaces.
         * @visibility secret
         */
        serviceAccountToken: string;
        skipTLSVerify?: boolean;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
      }>;
      /** How long one read of a Deployment serves concurrent viewers, in ms (default 2000). */
      cacheMilliseconds?: number;
    };
    /**
     * Every entity's environments, in pipeline order; the `titanic.io/environments` annotation
     * overrides them per entity. `namespace` and `deployment` are templates with `{component}`,
     * `{system}`, `{environment}` and `{kubernetesId}`. Default: dev, staging and prod (GitHub
     * environment production) in namespaces `{component}-{environment}`.
     */
    environments?: Array<{
      name: string;
      /** Default: the environment's name. */
      githubEnvironment?: string;
      /** Default: the first configured cluster. */
      cluster?: string;
      namespace?: string;
      /** Default `{kubernetesId}`. */
      deployment?: string;
      /**
       * Distinct people who must approve a deployment to this GitHub environment before the
       * portal sends the approval (1 to 10; default 1). Entity annotations cannot lower it.
       */
      minimumApprovals?: number;
    }>;
    /**
     * Delivery insights: the four DORA keys, the overview and the home page, computed from the
     * production history the plugin stores.
     */
    insights?: {
      /** Our name of the production environment (default prod, else the last environment). */
      environment?: string;
      /** A fix that goes live within this many hours after a change fails it (default 24). */
      fixWindowHours?: number;
      /**
       * Refs and commit headlines that make a deployment a fix, a case-insensitive regular
       * expression (default `^(fix|hotfix|revert)\\b|^hotfix/`).
       */
      fixPattern?: string;
      /** How many days a repository's first read goes back (default 180: 90 days and the 90 before). */
      backfillDays?: number;
      /** Production deployments read at most per read (default 500). */
      maxDeployments?: number;
      /** Pipeline runs read at most per read (default 500). */
      maxRuns?: number;
      /**
       * Minutes between reads of what is new in every known repository (default 10; 0 turns it
       * off once the events path records GitHub's webhooks).
       */
      refreshMinutes?: number;
    };
    /**
     * GitHub's webhooks (POST /api/events/http/github, signed with events.modules.github.webhookSecret
     * or a GitHub App's webhookSecret; without a secret the path is off).
     */
    webhooks?: {
      /**
       * While webhooks arrive, how long a cached GitHub answer is served without asking GitHub
       * again (default 300): polling stays as the safety net for lost deliveries.
       */
      safetyNetSeconds?: number;
      /** Larger deliveries are refused unread with 413 (default 1024). */
      maxPayloadKilobytes?: number;
      /** How long a delivery id is remembered to refuse its replay (default 7). */
      rememberDeliveriesDays?: number;
    };
    rollback?: {
      /** How often an applied rollback's rollout is read until it completes (default 250). */
      followIntervalMilliseconds?: number;
      /** When to stop following a rollout that neither completes nor stalls (default 900). */
      followTimeoutSeconds?: number;
      /**
       * How often one replica looks for rollbacks whose rollout no running replica follows any
       * more (one stopped mid-rollout) and follows them to the end (default 10).
       */
      sweepIntervalSeconds?: number;
    };
  };
}
