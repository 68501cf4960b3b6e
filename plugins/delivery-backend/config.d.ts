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
    };
    cache?: {
      /**
       * Seconds a GitHub or SonarCloud answer is served without asking again (default 60).
       * After that the backend revalidates with If-None-Match; a 304 costs no rate limit.
       */
      freshSeconds?: number;
      /** Seconds cached answers are kept as fallback when the source fails (default 604800). */
      keepSeconds?: number;
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
  };
}
