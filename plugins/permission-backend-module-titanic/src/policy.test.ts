import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
  deliveryPipelineRerunPermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { TitanicPermissionPolicy } from './policy';

const platformGroup = 'group:default/platform-team';

function userIn(name: string, groups: string[]): PolicyQueryUser {
  const userEntityRef = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
  };
}

function policyKnowing(users: PolicyQueryUser[]) {
  return new TitanicPermissionPolicy({
    platformGroups: [platformGroup],
    userInfo: {
      async getUserInfo(credentials) {
        const user = users.find(
          u =>
            (u.credentials.principal as { userEntityRef: string })
              .userEntityRef ===
            (credentials.principal as { userEntityRef: string }).userEntityRef,
        );
        if (!user) throw new Error('unknown user');
        return user.info;
      },
    },
  });
}

describe('TitanicPermissionPolicy', () => {
  const developer = userIn('bob', ['group:default/titanic-team']);
  const platformEngineer = userIn('carol', [platformGroup]);
  const policy = policyKnowing([developer, platformEngineer]);

  it('lets every signed-in person read the catalog', async () => {
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets a developer unregister only the entities their groups own', async () => {
    const decision = await policy.handle(
      { permission: catalogEntityDeletePermission },
      developer,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/bob', 'group:default/titanic-team'],
        },
      },
    });
  });

  it('lets the platform team unregister any entity', async () => {
    await expect(
      policy.handle(
        { permission: catalogEntityDeletePermission },
        platformEngineer,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('keeps catalog locations for the platform team to delete', async () => {
    await expect(
      policy.handle({ permission: catalogLocationDeletePermission }, developer),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle(
        { permission: catalogLocationDeletePermission },
        platformEngineer,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('matches platform groups regardless of letter case', async () => {
    const shouting = userIn('dave', ['group:default/Platform-Team']);
    await expect(
      policyKnowing([shouting]).handle(
        { permission: catalogLocationDeletePermission },
        shouting,
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies unregistering to a caller without a user identity', async () => {
    const decision = await policy.handle({
      permission: catalogEntityDeletePermission,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
  });

  describe('delivery', () => {
    it('lets an entity’s owners re-run its pipeline, decided by the catalog on the entity', async () => {
      const decision = await policy.handle(
        { permission: deliveryPipelineRerunPermission },
        developer,
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/bob', 'group:default/titanic-team'],
          },
        },
      });
    });

    it('lets the platform team re-run any pipeline', async () => {
      await expect(
        policy.handle(
          { permission: deliveryPipelineRerunPermission },
          platformEngineer,
        ),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('lets a caller without a user identity re-run nothing', async () => {
      await expect(
        policy.handle({ permission: deliveryPipelineRerunPermission }),
      ).resolves.toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: { params: { claims: [] } },
      });
    });

    it.each([
      ['approve deployments', deliveryDeploymentApprovePermission],
      ['roll back environments', deliveryDeploymentRollbackPermission],
    ])(
      'lets only an entity’s owners %s, decided by the catalog on the entity',
      async (_, permission) => {
        await expect(policy.handle({ permission }, developer)).resolves.toEqual(
          {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: {
                claims: ['user:default/bob', 'group:default/titanic-team'],
              },
            },
          },
        );
      },
    );

    it.each([
      ['approve', deliveryDeploymentApprovePermission],
      ['rollback', deliveryDeploymentRollbackPermission],
    ])('lets the platform team %s on any entity', async (_, permission) => {
      await expect(
        policy.handle({ permission }, platformEngineer),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });

    it.each([
      ['approve', deliveryDeploymentApprovePermission],
      ['rollback', deliveryDeploymentRollbackPermission],
    ])(
      'lets a caller without a user identity %s nothing',
      async (_, permission) => {
        await expect(policy.handle({ permission })).resolves.toMatchObject({
          result: AuthorizeResult.CONDITIONAL,
          conditions: { params: { claims: [] } },
        });
      },
    );

    it('lets every signed-in person read delivery dashboards', async () => {
      await expect(
        policy.handle({ permission: deliveryReadPermission }, developer),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });
  });
});
