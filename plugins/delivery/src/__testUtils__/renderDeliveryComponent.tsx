import { Entity } from '@backstage/catalog-model';
import { githubAuthApiRef, identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { DeliveryApi, deliveryApiRef } from '../api';
import { titanicEntity } from './deliveryFixtures';

/**
 * Renders a delivery component on an entity page with a mocked backend and permission answer;
 * with `signals`, the page receives live updates through it (see FakeSignals).
 */
export function renderDeliveryComponent(
  element: ReactElement,
  options: {
    api: Partial<DeliveryApi>;
    entity?: Entity;
    rerunAllowed?: boolean;
    signals?: SignalApi;
    /** The signed-in person (default the guest). */
    userEntityRef?: string;
    /** The GitHub sign-in's token source, when the app has one. */
    githubAuth?: { getAccessToken: (scope?: string[]) => Promise<string> };
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
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.userEntityRef ?? 'user:default/guest',
          }),
        ],
        ...(options.signals
          ? ([[signalApiRef, options.signals]] as const)
          : []),
        ...(options.githubAuth
          ? ([[githubAuthApiRef, options.githubAuth]] as const)
          : []),
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
