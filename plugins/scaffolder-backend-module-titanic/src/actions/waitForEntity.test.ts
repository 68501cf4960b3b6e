import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { waitForEntity } from './waitForEntity';

const ORDERS: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team',
    lifecycle: 'production',
  },
};

/** A catalog that starts serving the entity on the given read, as processing a location does. */
function catalogServingFrom(read: number) {
  let reads = 0;
  return catalogServiceMock.mock({
    getEntityByRef: jest.fn(async () => (++reads >= read ? ORDERS : undefined)),
  });
}

describe('waiting for the catalog to serve a registered entity', () => {
  const credentials = mockCredentials.user('user:default/alice');

  it('returns once the catalog serves it, reading with the given credentials', async () => {
    const catalog = catalogServingFrom(3);

    await waitForEntity({
      catalog,
      entityRef: 'component:default/orders',
      timeoutMs: 5_000,
      pollIntervalMs: 5,
      read: async () => ({ credentials }),
    });

    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/orders',
      { credentials },
    );
  });

  it('returns at once when the entity is already there', async () => {
    const catalog = catalogServingFrom(1);

    const { waitedMs } = await waitForEntity({
      catalog,
      entityRef: 'component:default/orders',
      timeoutMs: 5_000,
      read: async () => ({ credentials }),
    });

    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    expect(waitedMs).toBeLessThan(250);
  });

  it('fails after the timeout with an error naming the entity and what to look at', async () => {
    const catalog = catalogServingFrom(Number.POSITIVE_INFINITY);

    await expect(
      waitForEntity({
        catalog,
        entityRef: 'component:default/orders',
        timeoutMs: 60,
        pollIntervalMs: 10,
        read: async () => ({ credentials }),
      }),
    ).rejects.toThrow(
      /component:default\/orders was registered but the catalog had not processed it after 0 s.*processing error/,
    );
  });

  it('stops waiting when the task is cancelled', async () => {
    const catalog = catalogServingFrom(Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    controller.abort();

    await expect(
      waitForEntity({
        catalog,
        entityRef: 'component:default/orders',
        timeoutMs: 60_000,
        read: async () => ({ credentials }),
        signal: controller.signal,
      }),
    ).rejects.toThrow(
      'Stopped waiting for component:default/orders: task cancelled',
    );
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
  });
});
