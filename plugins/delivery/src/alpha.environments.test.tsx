import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import deliveryPlugin from './alpha';
import {
  entityWithoutSlug,
  titanicEntity,
} from './__testUtils__/deliveryFixtures';

describe('delivery environments extensions for the new frontend system', () => {
  it('provides the environments card on entities with a github.com/project-slug annotation', () => {
    const tester = createExtensionTester(
      deliveryPlugin.getExtension('entity-card:delivery/environments'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(titanicEntity)).toBe(true);
    expect(filter(entityWithoutSlug)).toBe(false);
  });

  it('mounts the Deployments tab at /deployments', () => {
    const tester = createExtensionTester(
      deliveryPlugin.getExtension('entity-content:delivery/deployments'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployments',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/deployments');
  });
});
