import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { DeliveryApi, deliveryApiRef } from '../api';
import { titanicEntity } from './deliveryFixtures';

/** Renders a delivery component on an entity page with a mocked backend and permission answer. */
export function renderDeliveryComponent(
  element: ReactElement,
  options: {
    api: Partial<DeliveryApi>;
    entity?: Entity;
    rerunAllowed?: boolean;
  },
) {
  const permissionApi = mockApis.permission({
    authorize:
      options.rerunAllowed === false
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [deliveryApiRef, options.api],
        [permissionApiRef, permissionApi],
      ]}
    >
      {/* usePermission caches answers in SWR; a fresh cache per render keeps tests independent. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={options.entity ?? titanicEntity}>
          {element}
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}
