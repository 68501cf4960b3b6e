/*
 * Starting the Kubernetes sandbox: a cluster (seeded, from a snapshot, or empty) behind the API
 * server, and a kubeconfig to reach it.
 */

import { CRASHING_RELEASE_TAG } from '../world/releases';
import {
  ADMIN_TOKEN,
  DEFAULT_IDENTITIES,
  KubernetesIdentity,
} from './apiserver/authorization';
import { kubeconfigText } from './apiserver/kubeconfig';
import {
  ServingCertificate,
  generateServingCertificate,
} from './apiserver/tlsCertificate';
import { KubernetesCluster, KubernetesSnapshot } from './cluster';
import { ControllerTiming } from './controllers/controllerContext';
import { seedKubernetesWorld } from './seededWorld';
import { KubernetesHttpServer } from './apiserver/server';

export const DEFAULT_KUBERNETES_PORT = 7081;

export interface KubernetesServerOptions {
  host?: string;
  /** 0 picks an ephemeral port. Defaults to 7081. */
  port?: number;
  /** Seed titanic-dev, titanic-staging and titanic-prod with titanic-service's history. Defaults to true. */
  seed?: boolean;
  /** Start from a snapshot (`cluster.toSnapshot()`) instead; `seed` is then ignored. */
  snapshot?: KubernetesSnapshot;
  /** Controller and kubelet timing; tests shrink it (see DEFAULT_TIMING). */
  timing?: Partial<ControllerTiming>;
  /** Images or tags that crash at start-up; defaults to the world's CRASHING_RELEASE_TAG. */
  crashingImages?: string[];
  /** Bearer tokens and what they may do; defaults to the admin and viewer tokens. */
  identities?: Readonly<Record<string, KubernetesIdentity>>;
  /** Sees every JSON document the server answers, watch events included. */
  onResponseDocument?: (document: unknown) => void;
  /**
   * Serve https (needed by kubectl, which sends tokens only over TLS): `true` makes a
   * self-signed certificate with openssl; or pass a key and certificate.
   */
  tls?: boolean | ServingCertificate;
}

export interface KubernetesSandbox {
  /** Base URL, e.g. `http://127.0.0.1:7081`: the cluster `url` in app-config or a kubeconfig. */
  server: string;
  cluster: KubernetesCluster;
  /** PEM certificate to trust when serving https (kubeconfig certificate-authority-data). */
  certificateAuthority?: string;
  /** A kubeconfig (JSON, valid YAML) for this server and a token; defaults to the admin token. */
  kubeconfig(token?: string, namespace?: string): string;
  close(): Promise<void>;
}

export async function startKubernetesServer(
  options: KubernetesServerOptions = {},
): Promise<KubernetesSandbox> {
  let cluster: KubernetesCluster;
  if (options.snapshot) {
    cluster = KubernetesCluster.fromSnapshot(options.snapshot, {
      timing: options.timing,
    });
  } else {
    cluster = new KubernetesCluster({
      timing: options.timing,
      crashingImages: options.crashingImages ?? [CRASHING_RELEASE_TAG],
    });
    if (options.seed ?? true) seedKubernetesWorld(cluster);
    else cluster.ensureSystemNamespaces();
  }
  const tls =
    options.tls === true
      ? generateServingCertificate()
      : options.tls || undefined;
  const http = new KubernetesHttpServer({
    tls,
    cluster,
    identities: options.identities ?? DEFAULT_IDENTITIES,
    onResponseDocument: options.onResponseDocument,
  });
  const server = await http.listen(
    options.port ?? DEFAULT_KUBERNETES_PORT,
    options.host ?? '127.0.0.1',
  );
  cluster.start();
  return {
    server,
    cluster,
    certificateAuthority: tls?.cert,
    kubeconfig: (token = ADMIN_TOKEN, namespace) =>
      kubeconfigText({
        server,
        token,
        namespace,
        certificateAuthority: tls?.cert,
      }),
    async close() {
      cluster.stop();
      await http.close();
    },
  };
}
