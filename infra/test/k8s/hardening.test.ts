import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environments, type Environment } from '../support/repositoryPaths.js';
import { findObject, renderKustomization } from '../support/kubernetesManifests.js';
import { environmentDirectory, parseTfvars } from '../support/terraformConfiguration.js';
import { cidrSubnet } from '../support/ipv4Subnets.js';

function workload(environment: Environment) {
  const objects = renderKustomization(environment);
  const deployment = findObject(objects, 'Deployment', 'titanic-service');
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((candidate: any) => candidate.name === 'titanic-service');
  return { objects, deployment, pod, container };
}

describe.each(environments)('%s workload hardening', environment => {
  it('runs as a non-root user with the RuntimeDefault seccomp profile', () => {
    const { pod, container } = workload(environment);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(container.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.seccompProfile.type).toBe('RuntimeDefault');
  });

  it('has a read-only root filesystem, drops all capabilities and forbids privilege escalation', () => {
    const { pod, container } = workload(environment);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.privileged).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
    expect(container.securityContext.capabilities.add).toBeUndefined();
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
    // The only writable paths are emptyDir volumes.
    for (const mount of container.volumeMounts) {
      const volume = pod.volumes.find((candidate: any) => candidate.name === mount.name);
      expect(volume.emptyDir !== undefined || mount.readOnly === true, mount.mountPath).toBe(true);
    }
  });

  it('sets CPU and memory requests and limits on every container', () => {
    const { pod } = workload(environment);
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      for (const bound of ['requests', 'limits']) {
        expect(container.resources?.[bound]?.cpu, `${container.name} ${bound}.cpu`).toBeTruthy();
        expect(container.resources?.[bound]?.memory, `${container.name} ${bound}.memory`).toBeTruthy();
      }
    }
  });

  it('probes /health for startup and liveness and /ready for readiness, on the service port 8080', () => {
    const { container } = workload(environment);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
  });

  it('migrates safely: old pods serve until new ones are ready, and start-up may take 5 minutes of migrations', () => {
    const { deployment, container } = workload(environment);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(deployment.spec.revisionHistoryLimit).toBeGreaterThanOrEqual(5);
  });

  it('uses the contract names: Deployment and container titanic-service, DATABASE_URL from the ExternalSecret', () => {
    const { objects, container } = workload(environment);
    const databaseUrl = container.env.find((variable: any) => variable.name === 'DATABASE_URL');
    const externalSecret = findObject(objects, 'ExternalSecret', 'titanic-service-database');
    expect(databaseUrl.valueFrom.secretKeyRef.name).toBe(externalSecret.spec.target.name);
    expect(Object.keys(externalSecret.spec.target.template.data)).toContain(databaseUrl.valueFrom.secretKeyRef.key);
    const configMap = findObject(objects, 'ConfigMap', 'titanic-service');
    expect(configMap.data.PORT).toBe('8080');
  });

  it('keeps the database credentials out of git: the ExternalSecret reads them from the Secrets Manager store', () => {
    const objects = renderKustomization(environment);
    const externalSecret = findObject(objects, 'ExternalSecret', 'titanic-service-database');
    const store = findObject(objects, 'SecretStore', externalSecret.spec.secretStoreRef.name);
    expect(store.spec.provider.aws.service).toBe('SecretsManager');
    expect(store.spec.provider.aws.auth.jwt.serviceAccountRef.name).toBe('titanic-service');
    for (const entry of externalSecret.spec.data) {
      expect(entry.remoteRef.key).toMatch(new RegExp(`^arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:rds!db-titanic-${environment}$`));
    }
    const template = externalSecret.spec.target.template.data.DATABASE_URL as string;
    expect(template).toContain('{{ .password | urlquery }}');
    expect(template).toContain(`@titanic-${environment}.`);
    expect(template).toMatch(/sslmode=verify-full$/);
    expect(objects.filter(object => object.kind === 'Secret')).toEqual([]);
  });

  it('binds the service account to the Terraform IRSA role and mounts no API token', () => {
    const { objects, pod } = workload(environment);
    const serviceAccount = findObject(objects, 'ServiceAccount', pod.serviceAccountName);
    expect(serviceAccount.metadata.annotations?.['eks.amazonaws.com/role-arn']).toMatch(
      new RegExp(`^arn:aws:iam::\\d{12}:role/titanic-${environment}-service$`),
    );
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
  });

  it('exposes the service through an ALB on HTTPS only, with TLS and the Terraform-managed security group', () => {
    const ingress = findObject(renderKustomization(environment), 'Ingress', 'titanic-service');
    const annotations = ingress.metadata.annotations!;
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'])).toEqual([{ HTTPS: 443 }]);
    expect(annotations['alb.ingress.kubernetes.io/ssl-policy']).toMatch(/^ELBSecurityPolicy-TLS13/);
    expect(annotations['alb.ingress.kubernetes.io/certificate-arn']).toMatch(/^arn:aws:acm:/);
    expect(annotations['alb.ingress.kubernetes.io/security-groups']).toBe(`titanic-${environment}-alb`);
    expect(annotations['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
  });

  it('autoscales on CPU, and keeps at least two replicas in prod', () => {
    const hpa = findObject(renderKustomization(environment), 'HorizontalPodAutoscaler', 'titanic-service');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'titanic-service' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(environment === 'prod' ? 2 : 1);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });

  it('limits voluntary disruption with a PodDisruptionBudget that selects the pods', () => {
    const { objects, deployment } = workload(environment);
    const budget = findObject(objects, 'PodDisruptionBudget', 'titanic-service');
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    if (environment === 'prod') expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(2);
    else expect(budget.spec.maxUnavailable).toBe(1);
  });

  it('is scraped by Prometheus: the ServiceMonitor selects the Service and names its port', () => {
    const objects = renderKustomization(environment);
    const monitor = findObject(objects, 'ServiceMonitor', 'titanic-service');
    const service = findObject(objects, 'Service', 'titanic-service');
    for (const [label, value] of Object.entries<string>(monitor.spec.selector.matchLabels)) {
      expect(service.metadata.labels?.[label]).toBe(value);
    }
    expect(service.spec.ports.map((port: any) => port.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
  });
});

describe.each(environments)('%s network policy', environment => {
  async function subnets() {
    const { vpc_cidr: vpcCidr } = await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'));
    // The same cidrsubnet() arithmetic as infra/terraform/modules/network/main.tf.
    return {
      public: [0, 1, 2].map(index => cidrSubnet(vpcCidr, 8, index)),
      private: [0, 1, 2].map(index => cidrSubnet(vpcCidr, 4, index + 1)),
    };
  }

  it('denies by default in both directions for the service pods', () => {
    const { objects, deployment } = workload(environment);
    const policy = findObject(objects, 'NetworkPolicy', 'titanic-service');
    expect(policy.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(policy.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
  });

  it('admits only the ALB (from the public subnets Terraform creates) and Prometheus, on 8080', async () => {
    const policy = findObject(renderKustomization(environment), 'NetworkPolicy', 'titanic-service');
    const [fromLoadBalancer, fromPrometheus] = policy.spec.ingress;
    expect(policy.spec.ingress).toHaveLength(2);
    expect(fromLoadBalancer.from.map((peer: any) => peer.ipBlock.cidr)).toEqual((await subnets()).public);
    expect(fromPrometheus.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      },
    ]);
    for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('lets the pods reach only DNS and PostgreSQL in the private subnets', async () => {
    const policy = findObject(renderKustomization(environment), 'NetworkPolicy', 'titanic-service');
    const [dns, database] = policy.spec.egress;
    expect(policy.spec.egress).toHaveLength(2);
    expect(dns.to[0].podSelector.matchLabels).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.ports.map((port: any) => `${port.protocol}/${port.port}`).sort()).toEqual(['TCP/53', 'UDP/53']);
    expect(database.to.map((peer: any) => peer.ipBlock.cidr)).toEqual((await subnets()).private);
    expect(database.ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });
});

describe('prod availability', () => {
  it('spreads replicas across zones (hard) and nodes (soft)', () => {
    const { pod, deployment } = workload('prod');
    const constraints = pod.topologySpreadConstraints;
    expect(constraints.map((constraint: any) => [constraint.topologyKey, constraint.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
    for (const constraint of constraints) {
      expect(constraint.labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
  });
});

describe('agreement with Terraform', () => {
  it('trusts, in the IRSA role, exactly the namespace and ServiceAccount the overlays render', async () => {
    const { parseTerraformDirectory, moduleDirectory } = await import('../support/terraformConfiguration.js');
    for (const environment of environments) {
      const terraform = await parseTerraformDirectory(environmentDirectory(environment));
      const tfvars = await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'));
      const systemName = tfvars.system_name ?? terraform.variables.system_name.default;
      const serviceName = tfvars.service_name ?? terraform.variables.service_name.default;
      expect(terraform.locals.namespace).toBe('${var.system_name}-${var.environment}');
      expect(terraform.locals.service_account).toBe('${var.service_name}');
      expect(terraform.modules.eks.service_namespace).toBe('${local.namespace}');
      expect(terraform.modules.eks.service_account_name).toBe('${local.service_account}');

      const { objects, deployment, pod } = workload(environment);
      expect(deployment.metadata.namespace).toBe(`${systemName}-${environment}`);
      expect(pod.serviceAccountName).toBe(serviceName);
      const roleArn = findObject(objects, 'ServiceAccount', serviceName).metadata.annotations!['eks.amazonaws.com/role-arn'];
      const eks = await parseTerraformDirectory(moduleDirectory('eks'));
      expect(eks.resources.aws_iam_role.service[0].name).toBe('${var.cluster_name}-service');
      expect(terraform.modules.eks.cluster_name).toBe('${local.name}');
      expect(roleArn.endsWith(`:role/${systemName}-${environment}-service`)).toBe(true);
    }
  });

  it('keeps the database pool of the largest scale-out within the RDS max_connections', async () => {
    const { parseTerraformDirectory, moduleDirectory } = await import('../support/terraformConfiguration.js');
    const rds = await parseTerraformDirectory(moduleDirectory('rds'));
    const maxConnections = rds.variables.max_connections.default as number;
    for (const environment of environments) {
      const objects = renderKustomization(environment);
      const poolSize = Number(findObject(objects, 'ConfigMap', 'titanic-service').data.DATABASE_POOL_SIZE);
      const { maxReplicas } = findObject(objects, 'HorizontalPodAutoscaler', 'titanic-service').spec;
      // One extra pod during a rolling update (maxSurge 1), and headroom for administrators.
      expect(poolSize * (maxReplicas + 1), environment).toBeLessThanOrEqual(maxConnections * 0.8);
    }
  });
});
