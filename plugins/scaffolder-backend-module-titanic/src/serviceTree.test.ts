import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findPortalRoot, listReferenceFiles } from './referenceManifest';
import { REFERENCE_SERVICE } from './referenceService';
import { LEFTOVER_PATTERNS, ServiceRenamer } from './renaming';
import { ServiceParameters } from './serviceParameters';
import { renderServiceTree } from './serviceTree';

const portalRoot = findPortalRoot(__dirname)!;

const ORDERS_SERVICE: ServiceParameters = {
  name: 'orders-api',
  organization: 'globex',
  repository: 'orders-api',
  namespacePrefix: 'orders-api',
  title: 'orders-api',
  apiName: 'orders-api-api',
  owner: 'group:default/platform-team',
  system: 'commerce',
  region: 'us-east-2',
  environments: ['dev', 'staging', 'prod'],
  databaseInstanceClasses: {
    dev: 'db.t4g.small',
    staging: 'db.t4g.large',
    prod: 'db.m7g.xlarge',
  },
  productionReplicas: 5,
  alertChannel: '#orders-oncall',
};

describe('the service tree', () => {
  it('finds the portal repository holding the reference service', () => {
    expect(
      fs.existsSync(path.join(portalRoot, 'titanic-service', 'package.json')),
    ).toBe(true);
  });

  it('walks exactly the files git keeps in the included paths (the ignore list drops only machine output)', async () => {
    const listed = await listReferenceFiles(portalRoot);
    const versioned = execFileSync(
      'git',
      [
        'ls-files',
        '--cached',
        '--others',
        '--exclude-standard',
        '--',
        'titanic-service',
        'infra',
        'docs',
        '.github/workflows',
        '.gitleaks.toml',
        'mkdocs.yml',
      ],
      { cwd: portalRoot, encoding: 'utf8' },
    )
      .split('\n')
      .filter(file => file && fs.existsSync(path.join(portalRoot, file)))
      // The portal's own CI is not the service's pipeline, nor is its chart the service's.
      .filter(file => file !== '.github/workflows/ci.yml')
      .filter(file => !file.startsWith('infra/portal/'))
      .sort();
    expect(listed).toEqual(versioned);
  });

  it("leaves the portal's own chart (infra/portal/) out of a new service", async () => {
    expect(
      fs.existsSync(path.join(portalRoot, 'infra', 'portal', 'Chart.yaml')),
    ).toBe(true);
    const listed = await listReferenceFiles(portalRoot);
    expect(listed.filter(file => file.startsWith('infra/portal/'))).toEqual([]);
    expect(listed).toContain('infra/helm/titanic-service/Chart.yaml');
  });

  it('reproduces the reference tree byte for byte when scaffolded with the reference values', async () => {
    const files = await renderServiceTree(portalRoot, REFERENCE_SERVICE);
    expect(files.length).toBeGreaterThan(150);
    const changed = files.filter(
      file =>
        file.path !== file.referencePath ||
        !file.content.equals(
          fs.readFileSync(path.join(portalRoot, file.referencePath)),
        ),
    );
    expect(changed.map(file => file.referencePath)).toEqual([]);
  });

  describe('scaffolded under new names', () => {
    let files: Awaited<ReturnType<typeof renderServiceTree>>;
    beforeAll(async () => {
      files = await renderServiceTree(portalRoot, ORDERS_SERVICE);
    });

    it('holds every reference file renamed, and nothing else', async () => {
      const renamer = new ServiceRenamer(ORDERS_SERVICE);
      const references = await listReferenceFiles(portalRoot);
      expect(files.map(file => file.referencePath)).toEqual(references);
      for (const file of files) {
        const reference = fs.readFileSync(
          path.join(portalRoot, file.referencePath),
          'utf8',
        );
        expect(file.path).toBe(renamer.renamePath(file.referencePath));
        expect(file.content.toString('utf8')).toBe(
          renamer.renameText(reference, file.referencePath),
        );
      }
    });

    it('keeps the reference layout under the new name', () => {
      const paths = files.map(file => file.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'orders-api/package.json',
          'orders-api/package-lock.json',
          'infra/helm/orders-api/Chart.yaml',
          '.github/workflows/orders-api.yml',
          '.gitleaks.toml',
          'mkdocs.yml',
          'docs/index.md',
        ]),
      );
      expect(paths.filter(file => /titanic-service/.test(file))).toEqual([]);
    });

    it('leaves no old name where the new one belongs', () => {
      const leftovers = files.flatMap(file =>
        file.content
          .toString('utf8')
          .split('\n')
          .flatMap((line, index) =>
            LEFTOVER_PATTERNS.some(pattern => pattern.test(line))
              ? [`${file.path}:${index + 1}: ${line.trim()}`]
              : [],
          ),
      );
      expect(leftovers).toEqual([]);
    });

    it('substitutes namespaces, state keys, image, region, sizes and alert routing', () => {
      const text = (file: string) =>
        files
          .find(candidate => candidate.path === file)!
          .content.toString('utf8');
      expect(text('infra/k8s/overlays/prod/kustomization.yaml')).toContain(
        'namespace: orders-api-prod',
      );
      expect(text('infra/k8s/overlays/prod/kustomization.yaml')).toContain(
        'ghcr.io/globex/orders-api',
      );
      expect(text('infra/terraform/environments/staging/backend.tf')).toContain(
        'key          = "orders-api/staging/terraform.tfstate"',
      );
      expect(
        text('infra/terraform/environments/prod/terraform.tfvars'),
      ).toMatch(
        /aws_region\s+= "us-east-2"[\s\S]*db_instance_class\s+= "db.m7g.xlarge"/,
      );
      expect(text('infra/terraform/environments/dev/terraform.tfvars')).toMatch(
        /db_instance_class\s+= "db.t4g.small"/,
      );
      expect(text('infra/k8s/overlays/prod/autoscaling.yaml')).toContain(
        'minReplicas: 5',
      );
      expect(text('infra/helm/orders-api/values-prod.yaml')).toContain(
        'minReplicas: 5',
      );
      expect(text('infra/k8s/base/namespace.yaml')).toContain(
        'titanic.io/owner: group:default/platform-team',
      );
      expect(text('orders-api/package.json')).toContain('"name": "orders-api"');
    });

    it('keeps the executable bit of scripts', () => {
      expect(
        files.find(file => file.path === 'orders-api/bench/run.sh')!.executable,
      ).toBe(true);
      expect(
        files.find(file => file.path === 'orders-api/package.json')!.executable,
      ).toBe(false);
    });
  });
});

describe('a service without some environments', () => {
  const workflowOf = (files: Awaited<ReturnType<typeof renderServiceTree>>) =>
    files
      .find(file => file.path === '.github/workflows/orders-api.yml')!
      .content.toString('utf8');

  it.each([
    [['prod'], ['dev', 'staging']],
    [['dev', 'prod'], ['staging']],
    [['staging', 'prod'], ['dev']],
  ] as const)(
    'with %j drops the overlays, Terraform environments, Helm values and deploy jobs of %j',
    async (environments, removed) => {
      const files = await renderServiceTree(portalRoot, {
        ...ORDERS_SERVICE,
        environments: [...environments],
      });
      const paths = files.map(file => file.path);
      for (const environment of removed) {
        expect(paths.filter(file => file.includes(`/${environment}/`))).toEqual(
          [],
        );
        expect(paths).not.toContain(
          `infra/helm/orders-api/values-${environment}.yaml`,
        );
        expect(workflowOf(files)).not.toContain(`deploy-${environment}:`);
      }
      for (const environment of environments) {
        expect(paths).toContain(
          `infra/k8s/overlays/${environment}/kustomization.yaml`,
        );
        expect(paths).toContain(
          `infra/terraform/environments/${environment}/main.tf`,
        );
      }
      expect(workflowOf(files)).toMatch(
        environments.includes('staging' as never)
          ? /deploy-production:\n(?: {4}.*\n)*? {4}needs: \[build, deploy-staging\]/
          : /deploy-production:\n(?: {4}.*\n)*? {4}needs: \[build, trivy\]/,
      );
    },
  );

  it('re-adds the cost overview without the dropped environments', async () => {
    const files = await renderServiceTree(portalRoot, {
      ...ORDERS_SERVICE,
      environments: ['staging', 'prod'],
    });
    const cost = files
      .find(file => file.path === 'docs/cost.md')!
      .content.toString('utf8');
    expect(cost).not.toContain('### dev');
    const overview = cost.slice(cost.indexOf('### All environments'));
    const rows = [...overview.matchAll(/^\| ([a-z]+) \| ([\d.]+) \|$/gm)];
    expect(rows.map(([, environment]) => environment)).toEqual([
      'staging',
      'prod',
    ]);
    const total = rows.reduce((sum, [, , amount]) => sum + Number(amount), 0);
    expect(overview).toContain(`| **Total** | **${total.toFixed(2)}** |`);
  });
});
