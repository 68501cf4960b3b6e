import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { environments, repositoryRoot } from '../support/repositoryPaths.js';
import { renderKustomization } from '../support/kubernetesManifests.js';
import { schemaProblems } from '../support/kubernetesSchemas.js';

const expectedKinds = [
  'ConfigMap',
  'Deployment',
  'ExternalSecret',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Namespace',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'SecretStore',
  'Service',
  'ServiceAccount',
  'ServiceMonitor',
];

describe.each(['base', ...environments] as const)('kustomize %s', target => {
  it('renders with kubectl kustomize', () => {
    expect(renderKustomization(target).length).toBe(expectedKinds.length);
  });

  it('holds exactly one of each workload object the service needs', () => {
    expect(renderKustomization(target).map(object => object.kind).sort()).toEqual(expectedKinds);
  });

  it('validates every object against its Kubernetes or CRD schema', () => {
    expect(renderKustomization(target).flatMap(schemaProblems)).toEqual([]);
  });

  it('labels every object for the Backstage Kubernetes plugin', () => {
    for (const object of renderKustomization(target)) {
      expect(object.metadata.labels?.['backstage.io/kubernetes-id'], `${object.kind}`).toBe('titanic-service');
      expect(object.metadata.labels?.['app.kubernetes.io/name'], `${object.kind}`).toBe('titanic-service');
    }
  });
});

describe.each(environments)('overlay %s', environment => {
  it(`puts every object in namespace titanic-${environment}, and creates that namespace`, () => {
    const objects = renderKustomization(environment);
    const namespace = objects.find(object => object.kind === 'Namespace')!;
    expect(namespace.metadata.name).toBe(`titanic-${environment}`);
    for (const object of objects.filter(object => object.kind !== 'Namespace')) {
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(`titanic-${environment}`);
    }
  });

  it('enforces the restricted Pod Security Standard on the namespace', () => {
    const namespace = renderKustomization(environment).find(object => object.kind === 'Namespace')!;
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it("binds the namespace to the catalog owner of the component it runs (titanic.io/owner), which the portal checks before a rollback", () => {
    const namespace = renderKustomization(environment).find(object => object.kind === 'Namespace')!;
    const deployment = renderKustomization(environment).find(object => object.kind === 'Deployment')!;
    const component = parseAllDocuments(readFileSync(path.join(repositoryRoot, 'catalog-info.yaml'), 'utf8'))
      .map(document => document.toJS())
      .find(
        entity =>
          entity?.kind === 'Component' &&
          entity.metadata.annotations?.['backstage.io/kubernetes-id'] ===
            deployment.metadata.labels?.['backstage.io/kubernetes-id'],
      );
    expect(component, 'the catalog Component of this Deployment').toBeDefined();
    expect(namespace.metadata.annotations?.['titanic.io/owner']).toMatch(/^group:[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(namespace.metadata.annotations?.['titanic.io/owner']).toBe(component.spec.owner);
  });

  it('sets the image by tag through kustomize images, never :latest', () => {
    const deployment = renderKustomization(environment).find(object => object.kind === 'Deployment')!;
    const [container] = deployment.spec.template.spec.containers;
    expect(container.image).toMatch(/^ghcr\.io\/acme-corp\/titanic-service:[\w][\w.-]{0,127}$/);
    expect(container.image).not.toMatch(/:latest$/);
  });
});
