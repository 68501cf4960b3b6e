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

describe('delivery plugin for the new frontend system', () => {
  it('provides the API, both cards and both tabs under stable extension ids', () => {
    for (const id of [
      'api:delivery',
      'entity-card:delivery/pipeline',
      'entity-card:delivery/scan-summary',
      'entity-content:delivery/pipeline',
      'entity-content:delivery/security',
      'page:delivery/overview',
    ] as const) {
      expect(deliveryPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('shows the cards only on entities with a github.com/project-slug annotation', () => {
    const tester = createExtensionTester(
      deliveryPlugin.getExtension('entity-card:delivery/pipeline'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(titanicEntity)).toBe(true);
    expect(filter(entityWithoutSlug)).toBe(false);
  });

  it('mounts the tabs at /pipeline and /security, titled Pipeline and Security', () => {
    const pipeline = createExtensionTester(
      deliveryPlugin.getExtension('entity-content:delivery/pipeline'),
    );
    expect(pipeline.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Pipeline',
    );
    const security = createExtensionTester(
      deliveryPlugin.getExtension('entity-content:delivery/security'),
    );
    expect(security.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Security',
    );
    expect(
      security.get(EntityContentBlueprint.dataRefs.filterFunction)!(
        entityWithoutSlug,
      ),
    ).toBe(false);
  });
});
