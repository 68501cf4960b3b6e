import { InputError } from '@backstage/errors';
import { REFERENCE_SERVICE } from './referenceService';
import { normalizeOwnerRef, parseServiceParameters } from './serviceParameters';

const valid = {
  ...REFERENCE_SERVICE,
  name: 'orders-api',
  organization: 'Globex',
  repository: 'orders-api',
  namespacePrefix: undefined,
  title: undefined,
  apiName: undefined,
  databaseInstanceClasses: { ...REFERENCE_SERVICE.databaseInstanceClasses },
};

function rejection(change: Partial<typeof valid>): Error {
  try {
    parseServiceParameters({ ...valid, ...change } as any);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as Error;
  }
  throw new Error(`accepted ${JSON.stringify(change)}`);
}

describe('service parameters', () => {
  it('accepts the reference values unchanged', () => {
    expect(parseServiceParameters(REFERENCE_SERVICE)).toEqual(
      REFERENCE_SERVICE,
    );
  });

  it('prefixes the namespaces of a new service with its own name', () => {
    expect(parseServiceParameters(valid).namespacePrefix).toBe('orders-api');
  });

  it('lower-cases the GitHub owner, since image repositories must be lower case', () => {
    expect(parseServiceParameters(valid).organization).toBe('globex');
  });

  it.each([
    ['Orders', /name must be a DNS-1123 label/],
    ['orders_api', /name must be a DNS-1123 label/],
    ['orders-', /name must be a DNS-1123 label/],
    ['9orders', /starting with a letter/],
    ['', /name must be a DNS-1123 label/],
    ['a'.repeat(41), /name must be at most 40 characters/],
  ])('rejects the name %j, naming the rule', (name, message) => {
    expect(rejection({ name }).message).toMatch(message);
  });

  it('rejects environments without prod', () => {
    expect(rejection({ environments: ['dev', 'staging'] }).message).toBe(
      'environments must include prod; got ["dev","staging"]',
    );
  });

  it('rejects an unknown environment', () => {
    expect(rejection({ environments: ['prod', 'qa'] as any }).message).toMatch(
      /^environments may only contain dev, staging, prod/,
    );
  });

  it('orders environments for promotion whatever order the form sent', () => {
    expect(
      parseServiceParameters({
        ...valid,
        environments: ['prod', 'dev', 'staging'],
      }).environments,
    ).toEqual(['dev', 'staging', 'prod']);
  });

  it.each(['t3.micro', 'db.', 'db.r6g', 'DB.R6G.LARGE'])(
    'rejects the instance class %j of a selected environment',
    instanceClass => {
      expect(
        rejection({
          databaseInstanceClasses: {
            ...valid.databaseInstanceClasses,
            staging: instanceClass,
          },
        }).message,
      ).toMatch(
        /^databaseInstanceClasses\.staging must be an RDS instance class/,
      );
    },
  );

  it('rejects a repeated environment', () => {
    expect(rejection({ environments: ['prod', 'prod'] }).message).toMatch(
      /^environments must not repeat an environment/,
    );
  });

  it('needs no instance class for an environment that is not selected', () => {
    const parameters = parseServiceParameters({
      ...valid,
      environments: ['prod'],
      databaseInstanceClasses: { prod: 'db.r6g.large' },
    });
    expect(parameters.databaseInstanceClasses).toEqual({
      prod: 'db.r6g.large',
    });
  });

  it.each([2, 10, 3.5])(
    'rejects %p production replicas',
    productionReplicas => {
      expect(rejection({ productionReplicas }).message).toMatch(
        /^productionReplicas must be a whole number from 3 to 9/,
      );
    },
  );

  it.each(['titanic-alerts', '#Alerts', '#', '#a b'])(
    'rejects the alert channel %j',
    alertChannel => {
      expect(rejection({ alertChannel }).message).toMatch(
        /^alertChannel must be a Slack channel/,
      );
    },
  );

  it('rejects a region that is not an AWS region', () => {
    expect(rejection({ region: 'europe' }).message).toMatch(
      /^region must be an AWS region/,
    );
  });

  it('rejects a repository owner GitHub would not accept', () => {
    expect(rejection({ organization: '-acme' }).message).toMatch(
      /^repository owner must be/,
    );
  });

  it.each([
    ['titanic-team', 'group:default/titanic-team'],
    ['group:platform-team', 'group:default/platform-team'],
    ['group:default/platform-team', 'group:default/platform-team'],
  ])('normalizes the owner %j to %j', (owner, ref) => {
    expect(normalizeOwnerRef(owner)).toBe(ref);
  });

  it.each(['user:default/alice', 'component:default/x'])(
    'rejects the owner %j: namespaces belong to a group',
    owner => {
      expect(rejection({ owner }).message).toMatch(/^owner must be a group/);
    },
  );
});
