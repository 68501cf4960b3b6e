/*
 * Live updates: when GitHub reports a change (a webhook) or the portal makes one, the backend
 * pushes a signal (@backstage/plugin-signals) on the channel of each entity it concerns; pages
 * showing that entity refresh the views the change touched. Signals carry no data, only what
 * changed: the page reads it through the routes, with the reader's permissions.
 */

/** What a change touched, so a page refreshes only the views that show it. */
export type DeliveryChange =
  /** Runs, their jobs and gates. */
  | 'pipeline'
  /** Code-scanning alerts. */
  | 'findings'
  /** Deployments, runs waiting for review, rollouts. */
  | 'environments'
  /** The audit trail. */
  | 'audit';

export const DELIVERY_CHANGES: readonly DeliveryChange[] = [
  'pipeline',
  'findings',
  'environments',
  'audit',
];

/** The signal channel of an entity's delivery data, e.g. `delivery:component:default/titanic-service`. */
export function deliveryChannel(entityRef: string): string {
  return `delivery:${entityRef.toLocaleLowerCase('en-US')}`;
}

// Type aliases, not interfaces: signals carry JSON objects, and only aliases are assignable to one.

/** Something changed in the entity's delivery data. */
export type DeliveryChangedSignal = {
  type: 'changed';
  changes: DeliveryChange[];
  /** `owner/name` of the repository that changed. */
  repository: string;
  /** When the backend learned of it (ISO 8601). */
  at: string;
};

/** The answer to a live probe: the signal reached this caller's page. */
export type DeliveryProbeSignal = {
  type: 'probe';
  nonce: string;
};

export type DeliverySignal = DeliveryChangedSignal | DeliveryProbeSignal;

/**
 * POST liveProbe: the backend signals `{ type: 'probe', nonce }` on the entity's channel to the
 * caller alone. A page that receives it knows signals reach it; one that does not falls back to
 * polling.
 */
export interface LiveProbeRequest {
  /** Chosen by the page, 8-64 letters, digits or dashes. */
  nonce: string;
}

export interface LiveProbeResponse {
  channel: string;
}
