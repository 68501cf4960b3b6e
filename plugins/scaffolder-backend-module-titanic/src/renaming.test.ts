import { REFERENCE_SERVICE } from './referenceService';
import { ServiceRenamer } from './renaming';
import { ServiceParameters } from './serviceParameters';

const orders: ServiceParameters = {
  name: 'orders-api',
  organization: 'globex',
  repository: 'orders-repo',
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
const renamer = new ServiceRenamer(orders);

describe('rename rules', () => {
  it.each([
    [
      'ghcr.io/acme-corp/titanic-service:sha-1',
      'ghcr.io/globex/orders-api:sha-1',
    ],
    [
      'repo_url: https://github.com/acme-corp/titanic-service',
      'repo_url: https://github.com/globex/orders-repo',
    ],
    [
      'project-key: acme-corp_titanic-service',
      'project-key: globex_orders-api',
    ],
    ['owner: group:default/titanic-team', 'owner: group:default/platform-team'],
    ['at least one from `titanic-team`', 'at least one from `platform-team`'],
    ['namespace: titanic-prod', 'namespace: orders-api-prod'],
    ['secret:rds!db-titanic-dev', 'secret:rds!db-orders-api-dev'],
    [
      'host: titanic-staging.example.com',
      'host: orders-api-staging.example.com',
    ],
    ['host: titanic.example.com', 'host: orders-api.example.com'],
    ['`titanic-${environment}-alb`', '`orders-api-${environment}-alb`'],
    ['role/titanic-ENV-service', 'role/orders-api-ENV-service'],
    [
      'key = "titanic-service/prod/terraform.tfstate"',
      'key = "orders-api/prod/terraform.tfstate"',
    ],
    [
      'bucket = "acme-corp-terraform-state"',
      'bucket = "globex-terraform-state"',
    ],
    ['region = "eu-west-1"', 'region = "us-east-2"'],
    ['channel: "#titanic-service-alerts"', 'channel: "#orders-oncall"'],
    ['name: Titanic service pipeline', 'name: orders-api pipeline'],
    ['providesApis: [titanic-api]', 'providesApis: [orders-api-api]'],
    [
      '      app.kubernetes.io/part-of: titanic\n',
      '      app.kubernetes.io/part-of: orders-api\n',
    ],
    ['systemName: titanic\n', 'systemName: orders-api\n'],
    [
      'kind: Namespace\nmetadata:\n  name: titanic\n',
      'kind: Namespace\nmetadata:\n  name: orders-api\n',
    ],
    ['namespace titanic-<environment>', 'namespace orders-api-<environment>'],
  ])('renames %j', (reference, renamed) => {
    expect(renamer.renameText(reference)).toBe(renamed);
  });

  it.each([
    'titanic_db_pool_connections{state="idle"}',
    'record: titanic:http_requests:rate5m',
    'TITANIC_SEED_CSV=/data/titanic.csv',
    'INSERT INTO people',
    'database_name default "titanic"',
    'titanic.io/environments: dev=x',
    'titanic-production',
  ])(
    'leaves %j alone (metrics, data set, database, annotation domain)',
    text => {
      expect(renamer.renameText(text)).toBe(text);
    },
  );

  it('renames in one pass, so a new name containing an old one is not renamed again', () => {
    const nested = new ServiceRenamer({
      ...orders,
      name: 'acme-corp-titanic-prod',
      namespacePrefix: 'acme-corp-titanic-prod',
      title: 'x',
      apiName: 'x-api',
    });
    expect(nested.renameText('titanic-service and titanic-prod')).toBe(
      'acme-corp-titanic-prod and acme-corp-titanic-prod-prod',
    );
  });

  it('renames paths: service directory, Helm chart and pipeline workflow', () => {
    expect(renamer.renamePath('titanic-service/src/app.ts')).toBe(
      'orders-api/src/app.ts',
    );
    expect(renamer.renamePath('infra/helm/titanic-service/values.yaml')).toBe(
      'infra/helm/orders-api/values.yaml',
    );
    expect(renamer.renamePath('.github/workflows/titanic-service.yml')).toBe(
      '.github/workflows/orders-api.yml',
    );
    expect(renamer.renamePath('infra/k8s/overlays/titanic-prod.yaml')).toBe(
      'infra/k8s/overlays/titanic-prod.yaml',
    );
  });

  it('sets the RDS instance class of each environment in its own tfvars only', () => {
    const tfvars = 'db_instance_class            = "db.t4g.micro"\n';
    expect(
      renamer.renameText(
        tfvars,
        'infra/terraform/environments/staging/terraform.tfvars',
      ),
    ).toBe('db_instance_class            = "db.t4g.large"\n');
    expect(
      renamer.renameText(
        tfvars,
        'infra/terraform/environments/prod/terraform.tfvars',
      ),
    ).toBe('db_instance_class            = "db.m7g.xlarge"\n');
    expect(
      renamer.renameText(tfvars, 'infra/terraform/modules/rds/README.md'),
    ).toBe(tfvars);
  });

  it('names the chosen instance class in the cost estimate, priced as the reference says', () => {
    const cost =
      '### dev\n\n| Item | Size | USD |\n| RDS PostgreSQL | db.t4g.micro single-AZ × $0.018/h | 13.14 |\n' +
      '### prod\n\n| RDS PostgreSQL | db.r6g.large Multi-AZ × $0.516/h | 376.68 |\nfor eu-west-1\n';
    expect(renamer.renameText(cost, 'docs/cost.md')).toBe(
      '### dev\n\n| Item | Size | USD |\n| RDS PostgreSQL | db.t4g.small (priced as db.t4g.micro) single-AZ × $0.018/h | 13.14 |\n' +
        '### prod\n\n| RDS PostgreSQL | db.m7g.xlarge (priced as db.r6g.large) Multi-AZ × $0.516/h | 376.68 |\nfor eu-west-1\n',
    );
  });

  it('sets the production minimum replicas in the prod overlay and Helm prod values only', () => {
    expect(
      renamer.renameText(
        '  minReplicas: 3\n',
        'infra/k8s/overlays/prod/autoscaling.yaml',
      ),
    ).toBe('  minReplicas: 5\n');
    expect(
      renamer.renameText(
        'autoscaling:\n  minReplicas: 3\n',
        'infra/helm/titanic-service/values-prod.yaml',
      ),
    ).toBe('autoscaling:\n  minReplicas: 5\n');
    expect(
      renamer.renameText(
        '  minReplicas: 2\n',
        'infra/k8s/overlays/staging/autoscaling.yaml',
      ),
    ).toBe('  minReplicas: 2\n');
  });

  it('is the identity with the reference values', () => {
    const identity = new ServiceRenamer(REFERENCE_SERVICE);
    const text =
      'ghcr.io/acme-corp/titanic-service titanic-prod group:default/titanic-team eu-west-1';
    expect(identity.renameText(text)).toBe(text);
  });
});
