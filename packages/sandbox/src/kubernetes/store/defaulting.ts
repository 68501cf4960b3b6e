/*
 * The defaults the apiserver fills in on create and update (pkg/apis/apps/v1/defaults.go,
 * pkg/apis/core/v1/defaults.go), so stored templates look like a real cluster's and a
 * ReplicaSet's template compares equal to the Deployment's it came from.
 */

import { KubeObject } from '../apimachinery/objects';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function defaultProbe(probe: Json) {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
}

function imageTag(image: string): string | undefined {
  const lastSegment = image.split('/').pop() ?? image;
  if (lastSegment.includes('@')) return 'digest';
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

function defaultContainer(container: Json) {
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  if (container.image && !container.imagePullPolicy) {
    const tag = imageTag(container.image);
    container.imagePullPolicy =
      !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  container.resources ??= {};
  for (const port of container.ports ?? []) port.protocol ??= 'TCP';
  for (const env of container.env ?? []) {
    if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
}

export function defaultPodSpec(spec: Json) {
  if (!spec) return;
  for (const container of spec.containers ?? []) defaultContainer(container);
  for (const container of spec.initContainers ?? [])
    defaultContainer(container);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

function defaultPodTemplate(template: Json) {
  if (!template) return;
  template.metadata ??= {};
  defaultPodSpec(template.spec);
}

export function defaultDeployment(deployment: KubeObject) {
  const spec = deployment.spec ?? (deployment.spec = {});
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  defaultPodTemplate(spec.template);
  deployment.status ??= {};
}

export function defaultReplicaSet(replicaSet: KubeObject) {
  const spec = replicaSet.spec ?? (replicaSet.spec = {});
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
  replicaSet.status ??= { replicas: 0 };
}

export function defaultPod(pod: KubeObject) {
  pod.spec ??= {};
  defaultPodSpec(pod.spec);
  pod.spec.enableServiceLinks ??= true;
  pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
  pod.spec.priority ??= 0;
  pod.spec.tolerations ??= [
    {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ];
  pod.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
}

export function defaultNamespace(namespace: KubeObject) {
  namespace.metadata.labels = {
    ...namespace.metadata.labels,
    'kubernetes.io/metadata.name': namespace.metadata.name,
  };
  namespace.spec ??= { finalizers: ['kubernetes'] };
  namespace.status = { phase: 'Active' };
}

export function defaultService(service: KubeObject) {
  const spec = service.spec ?? (service.spec = {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!spec.clusterIP) {
    // The service CIDR's allocator, made deterministic: the same Service gets the same IP.
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    let hash = 0;
    for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    spec.clusterIP = `10.96.${(hash >>> 8) % 255}.${(hash % 253) + 2}`;
  }
  spec.clusterIPs ??= [spec.clusterIP];
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  service.status ??= { loadBalancer: {} };
}
