/*
 * A kubeconfig for the sandbox (JSON is valid YAML, so kubectl and KubeConfig.loadFromString
 * both read it), naming one cluster, one token user and a default namespace.
 */

export interface KubeconfigOptions {
  server: string;
  token: string;
  namespace?: string;
  /** PEM certificate authority of an https server. */
  certificateAuthority?: string;
  /** Context, cluster and user names; defaults to `titanic-sandbox`. */
  name?: string;
}

export function buildKubeconfig({
  server,
  token,
  namespace,
  certificateAuthority,
  name = 'titanic-sandbox',
}: KubeconfigOptions) {
  let trust = {};
  if (certificateAuthority) {
    trust = {
      'certificate-authority-data':
        Buffer.from(certificateAuthority).toString('base64'),
    };
  } else if (server.startsWith('http:')) {
    trust = { 'insecure-skip-tls-verify': true };
  }
  return {
    apiVersion: 'v1',
    kind: 'Config',
    // @kubernetes/client-node 2.x refuses plain http unless TLS verification is off.
    clusters: [
      {
        name,
        cluster: { server, ...trust },
      },
    ],
    users: [{ name, user: { token } }],
    contexts: [
      {
        name,
        context: {
          cluster: name,
          user: name,
          ...(namespace ? { namespace } : {}),
        },
      },
    ],
    'current-context': name,
    preferences: {},
  };
}

export function kubeconfigText(options: KubeconfigOptions): string {
  return `${JSON.stringify(buildKubeconfig(options), null, 2)}\n`;
}
