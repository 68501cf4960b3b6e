/*
 * Bearer-token authentication and an RBAC-like authorizer: the admin token may do anything,
 * the viewer token only read (get, list, watch), as a ClusterRole `view` binding would allow.
 */

export interface KubernetesIdentity {
  /** The user name RBAC denials name. */
  user: string;
  groups: string[];
  /** Verbs allowed on every served resource. */
  verbs: readonly string[];
}

export const ADMIN_TOKEN = 'sandbox-admin-token';
export const VIEWER_TOKEN = 'sandbox-viewer-token';

const READ_VERBS = ['get', 'list', 'watch'] as const;
const ALL_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
] as const;

export const DEFAULT_IDENTITIES: Readonly<Record<string, KubernetesIdentity>> =
  {
    [ADMIN_TOKEN]: {
      user: 'system:serviceaccount:titanic-portal:portal-admin',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      verbs: ALL_VERBS,
    },
    [VIEWER_TOKEN]: {
      user: 'system:serviceaccount:titanic-portal:portal-viewer',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      verbs: READ_VERBS,
    },
  };

export function authenticate(
  authorization: string | undefined,
  identities: Readonly<Record<string, KubernetesIdentity>>,
): KubernetesIdentity | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  return identities[match[1].trim()];
}

export function isAllowed(identity: KubernetesIdentity, verb: string): boolean {
  return identity.verbs.includes(verb);
}
