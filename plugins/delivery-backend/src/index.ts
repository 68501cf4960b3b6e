/**
 * Delivery dashboards backend: the gate chain of an entity's pipeline runs with failure
 * reasons, re-runs of failed jobs, code-scanning and SonarCloud findings, a one-call dashboard,
 * and what runs in each environment with approvals and rollbacks — cached so page views barely
 * touch GitHub's rate limit.
 *
 * @packageDocumentation
 */

export { deliveryPlugin as default } from './plugin';
