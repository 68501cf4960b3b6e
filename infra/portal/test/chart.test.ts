import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/commandRunner.js';
import { runHelm } from '../../test/support/helmBinary.js';
import { parseManifests } from '../../test/support/kubernetesManifests.js';
import { schemaProblems } from '../../test/support/kubernetesSchemas.js';
import { portalChartRoot, portalRepositoryRoot, releaseNamespace, renderPortal, renderedOverlay, templatePortal } from './support/portalChart.js';

const clusterScoped = ['ClusterRole', 'ClusterRoleBinding'];

describe('helm chart titanic-portal', () => {
  it('passes helm lint --strict with its values.yaml', () => {
    const lint = runHelm('lint', portalChartRoot, '--strict', '--namespace', releaseNamespace);
    expect(lint.stdout + lint.stderr).toContain('0 chart(s) failed');
    expect(lint.status).toBe(0);
  });

  it('renders objects that validate against their Kubernetes and External Secrets schemas', () => {
    const objects = renderPortal();
    expect(objects.map(object => object.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'ConfigMap',
        'Deployment',
        'ExternalSecret',
        'ExternalSecret',
        'Ingress',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Role',
        'Role',
        'Role',
        'RoleBinding',
        'RoleBinding',
        'RoleBinding',
        'Secret',
        'SecretStore',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('puts everything in the release namespace, but the delivery Roles in the namespaces they grant and cluster-scoped RBAC nowhere', () => {
    for (const object of renderPortal()) {
      const identity = `${object.kind}/${object.metadata.name}`;
      if (clusterScoped.includes(object.kind)) expect(object.metadata.namespace, identity).toBeUndefined();
      else if (object.kind === 'Role' || object.kind === 'RoleBinding') expect(object.metadata.namespace, identity).toMatch(/^titanic-(dev|staging|prod)$/);
      else expect(object.metadata.namespace, identity).toBe(releaseNamespace);
    }
  });

  it('takes the image tag from --set backstage.image.tag, and the appVersion when none is given', () => {
    const image = (objects: ReturnType<typeof renderPortal>) => objects.find(object => object.kind === 'Deployment')!.spec.template.spec.containers[0].image;
    const appVersion = /^appVersion: "(.+)"$/m.exec(fs.readFileSync(path.join(portalChartRoot, 'Chart.yaml'), 'utf8'))![1];
    expect(image(renderPortal())).toBe(`ghcr.io/acme-corp/titanic-portal:${appVersion}`);
    const result = templatePortal('backstage.image.tag=sha-0123abc');
    expect(image(parseManifests(result.stdout))).toBe('ghcr.io/acme-corp/titanic-portal:sha-0123abc');
  });

  it.each([
    ['the moving latest tag', 'backstage.image.tag=latest', 'backstage.image.tag'],
    ['a single replica', 'backstage.replicas=1', 'backstage.replicas'],
    ['an unknown top-level key', 'postgres.host=db', 'postgres'],
    ['a Secrets Manager ARN that is none', 'aws.portalSecretArn=titanic-portal', 'aws.portalSecretArn'],
    ['both a minimum available and a maximum unavailable', 'backstage.pdb.maxUnavailable=1', 'backstage.pdb'],
  ])('refuses %s through values.schema.json', (_case, override, message) => {
    const result = templatePortal(override);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  // The overlay is YAML inside a ConfigMap: only Backstage's own schemas can tell a mistyped key. Needs the
  // repository's dependencies (yarn install at its root), as the portal does.
  it("layers the production configuration and the chart's overlay without adding a problem to Backstage's strict schema check", () => {
    const cli = path.join(portalRepositoryRoot, 'node_modules', '@backstage', 'cli', 'bin', 'backstage-cli');
    expect(fs.existsSync(cli), `${cli} is missing: run yarn install at the repository root`).toBe(true);
    const overlay = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'titanic-portal-overlay-')), 'app-config.chart.yaml');
    fs.writeFileSync(overlay, renderedOverlay());
    const check = (...extra: string[]) => {
      const result = runCommand(process.execPath, [cli, 'config:check', '--lax', '--strict', '--config', 'app-config.yaml', ...extra], {
        cwd: portalRepositoryRoot,
      });
      expect(result.stdout + result.stderr).toContain('Loaded config from');
      return (result.stdout + result.stderr).split('\n').filter(line => line.includes('Config must'));
    };
    try {
      // Compared with app-config.yaml alone, whose own problems (if any) are not the deployment's.
      expect(check('--config', 'app-config.production.yaml', '--config', overlay)).toEqual(check());
    } finally {
      fs.rmSync(path.dirname(overlay), { recursive: true, force: true });
    }
  });
});
