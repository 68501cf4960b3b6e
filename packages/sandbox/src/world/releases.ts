/*
 * The titanic-service releases that the seeded GitHub world (pipeline runs, deployments)
 * and the seeded Kubernetes world (Deployments, ReplicaSets) both describe. Both worlds
 * read this file so the image tag live in a namespace is always the one GitHub deployed.
 */

export type SandboxEnvironment = 'dev' | 'staging' | 'prod';

export interface Release {
  /** Image tag, e.g. `1.4.0` (image `ghcr.io/acme-corp/titanic-service:1.4.0`). */
  tag: string;
  /** Full commit sha the image was built from. */
  commitSha: string;
  /** Commit message headline of commitSha. */
  message: string;
  /** When the image was built (the pipeline run's Build image job finished). */
  builtAt: string;
}

export const IMAGE_REPOSITORY = 'ghcr.io/acme-corp/titanic-service';

export function imageFor(tag: string): string {
  return `${IMAGE_REPOSITORY}:${tag}`;
}

/** Every release, oldest first. */
export const RELEASES: readonly Release[] = [
  {
    tag: '1.0.0',
    commitSha: '6e540044e482f95cd260e3c4bd05484c03cc730b',
    message: 'Serve the people API from PostgreSQL',
    builtAt: '2026-10-20T09:08:40Z',
  },
  {
    tag: '1.1.0',
    commitSha: '20f3516f476a9e95a158f5eb0be6c5c7145dd1e1',
    message: 'Add readiness probe that checks migrations',
    builtAt: '2026-10-27T10:01:20Z',
  },
  {
    tag: '1.2.0',
    commitSha: '654ce64d7243173c85ee41ce1c334e479cfce875',
    message: 'Expose prom-client metrics on /metrics',
    builtAt: '2026-11-03T14:36:50Z',
  },
  {
    tag: '1.3.0',
    commitSha: '9f6bcd59f9467d794a5476da4b9e93d6902d2e3e',
    message: 'Paginate GET /people',
    builtAt: '2026-11-10T11:16:15Z',
  },
  {
    tag: '1.3.1',
    commitSha: '979852d54533dbdb16cdd78cd20c899277afcb7f',
    message: 'Fix pool exhaustion under concurrent imports',
    builtAt: '2026-11-13T15:58:40Z',
  },
  {
    tag: '1.4.0',
    commitSha: '4b3b287f12521a80b24bbd20f0cd6cde2381ec0d',
    message: 'Add survival statistics endpoint',
    builtAt: '2026-11-18T13:43:30Z',
  },
  {
    tag: '1.5.0',
    commitSha: '5bab6880aff76a0cf4c582c4e827d34038a3fefd',
    message: 'Cache survival statistics per passenger class',
    builtAt: '2026-11-24T10:27:55Z',
  },
];

/**
 * What each environment ran, oldest first; the last entry is live now.
 * The Kubernetes world creates one ReplicaSet revision per entry (revision = index + 1).
 */
export const ENVIRONMENT_HISTORY: Readonly<
  Record<SandboxEnvironment, readonly string[]>
> = {
  dev: ['1.1.0', '1.2.0', '1.3.0', '1.3.1', '1.4.0', '1.5.0'],
  staging: ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.3.1', '1.4.0'],
  prod: ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.3.1'],
};

/**
 * When each release became live in each environment (the deploy job finished and the
 * Deployment's new ReplicaSet was rolled out). Same order as ENVIRONMENT_HISTORY.
 */
export const DEPLOYED_AT: Readonly<
  Record<SandboxEnvironment, Readonly<Record<string, string>>>
> = {
  dev: {
    '1.1.0': '2026-10-27T10:04:12Z',
    '1.2.0': '2026-11-03T14:39:40Z',
    '1.3.0': '2026-11-10T11:19:05Z',
    '1.3.1': '2026-11-13T16:01:33Z',
    '1.4.0': '2026-11-18T13:46:21Z',
    '1.5.0': '2026-11-24T10:30:48Z',
  },
  staging: {
    '1.0.0': '2026-10-20T09:11:30Z',
    '1.1.0': '2026-10-27T15:26:02Z',
    '1.2.0': '2026-11-04T09:18:17Z',
    '1.3.0': '2026-11-10T15:08:44Z',
    '1.3.1': '2026-11-13T17:36:09Z',
    '1.4.0': '2026-11-20T16:21:26Z',
  },
  prod: {
    '1.0.0': '2026-10-20T09:42:10Z',
    '1.1.0': '2026-10-27T16:05:51Z',
    '1.2.0': '2026-11-04T10:01:37Z',
    '1.3.0': '2026-11-10T15:30:02Z',
    '1.3.1': '2026-11-13T17:52:28Z',
  },
};

/** The release whose production deployment waits for a required reviewer's approval. */
export const PENDING_PRODUCTION_TAG = '1.4.0';

/**
 * A tag whose containers exit at start-up (CrashLoopBackOff); never live in the seeded world,
 * used to rehearse a failed rollout and its rollback.
 */
export const CRASHING_RELEASE_TAG = '1.6.0-rc.1';

/** GitHub Actions environment name for a sandbox (Kubernetes) environment. */
export const GITHUB_ENVIRONMENT: Readonly<Record<SandboxEnvironment, string>> =
  {
    dev: 'dev',
    staging: 'staging',
    prod: 'production',
  };

export function releaseByTag(tag: string): Release {
  const release = RELEASES.find(r => r.tag === tag);
  if (!release) {
    throw new Error(`Unknown titanic-service release ${tag}`);
  }
  return release;
}

export function liveTag(environment: SandboxEnvironment): string {
  const history = ENVIRONMENT_HISTORY[environment];
  return history[history.length - 1];
}
