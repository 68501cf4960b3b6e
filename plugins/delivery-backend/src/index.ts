/**
 * Delivery dashboards backend: the gate chain of an entity's pipeline runs with failure
 * reasons, re-runs of failed jobs, code-scanning and SonarCloud findings, and a one-call
 * dashboard — cached so page views barely touch GitHub's rate limit.
 *
 * @packageDocumentation
 */

export { deliveryPlugin as default } from './plugin';
