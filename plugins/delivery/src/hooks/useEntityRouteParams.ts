import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { EntityRouteParams } from '@internal/plugin-delivery-common';
import { useMemo } from 'react';

/** The current entity as the delivery routes name it, plus a stable key for effect dependencies. */
export function useEntityRouteParams(): {
  params: EntityRouteParams;
  key: string;
} {
  const { entity } = useEntity();
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useMemo(
    () => ({
      params: { kind, namespace, name },
      key: `${kind}:${namespace}/${name}`,
    }),
    [kind, namespace, name],
  );
}
