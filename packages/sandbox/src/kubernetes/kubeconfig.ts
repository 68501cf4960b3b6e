/*
 * A kubeconfig for the sandbox (JSON is valid YAML, so kubectl and KubeConfig.loadFromString
 * both read it), naming one cluster, one token user and a default namespace.
 */

export interface KubeconfigOptions {
  server: string;
  token: string;
  namespace?: string;
  /** Context, cluster and user names; defaults to `titanic-sandbox`. */
  name?: string;
}

export function buildKubeconfig({ server, token, namespace, name = 'titanic-sandbox' }: KubeconfigOptions) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    // @kubernetes/client-node 2.x refuses plain http unless TLS verification is off.
    clusters: [
      {
        name,
        cluster: { server, ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}) },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  };
}

export function kubeconfigText(options: KubeconfigOptions): string {
  return `${JSON.stringify(buildKubeconfig(options), null, 2)}\n`;
}
