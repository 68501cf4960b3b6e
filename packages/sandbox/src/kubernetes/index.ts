/*
 * The sandbox's Kubernetes API server: start it, point @kubernetes/client-node or kubectl at
 * `server` with a sandbox token, and drive or inspect the simulated cluster through `cluster`.
 */

export { KubernetesCluster } from './cluster';
export type {
  ClusterOptions,
  KubernetesSnapshot,
  ListOptions,
} from './cluster';
export {
  ADMIN_TOKEN,
  VIEWER_TOKEN,
  DEFAULT_IDENTITIES,
} from './apiserver/authorization';
export type { KubernetesIdentity } from './apiserver/authorization';
export { DEFAULT_TIMING } from './controllers/controllerContext';
export type { ControllerTiming } from './controllers/controllerContext';
export { KubernetesApiError } from './apimachinery/apiErrors';
export type { StatusObject } from './apimachinery/apiErrors';
export type { KubeObject } from './apimachinery/objects';
export { buildKubeconfig, kubeconfigText } from './apiserver/kubeconfig';
export type { KubeconfigOptions } from './apiserver/kubeconfig';
export { generateServingCertificate } from './apiserver/tlsCertificate';
export type { ServingCertificate } from './apiserver/tlsCertificate';
export {
  CONTAINER_NAME,
  DEPLOYMENT_NAME,
  NAMESPACE_OF,
  REPLICAS_OF,
  SERVICE_LABELS,
  rolloutComplete,
  titanicDeployment,
} from './seededWorld';
export {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
} from './controllers/deployment/util/deploymentUtil';
export {
  DEFAULT_KUBERNETES_PORT,
  startKubernetesServer,
} from './kubernetesSandbox';
export type {
  KubernetesSandbox,
  KubernetesServerOptions,
} from './kubernetesSandbox';
