import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { LiveProbeResponse } from '@internal/plugin-delivery-common';
import { ViewerAccesses } from '../access/viewerAccess';
import { LiveUpdates } from './liveUpdates';

/**
 * A page asks whether signals reach it: the probe goes, through the event bus and whichever
 * replica holds the page's connection, to the caller alone on the entity's channel. Only people
 * who may read the entity's delivery data may probe its channel.
 */
export class LiveProbes {
  constructor(
    private readonly options: { viewers: ViewerAccesses; live: LiveUpdates },
  ) {}

  async probe(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    nonce: string,
  ): Promise<LiveProbeResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
    return this.options.live.probe(
      access.entityRef,
      credentials.principal.userEntityRef,
      nonce,
    );
  }
}
