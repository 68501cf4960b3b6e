import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/*
 * GitHub's webhook payloads as @octokit/webhooks-schemas describes them: every payload the
 * sandbox sends (and every one the portal's tests post) is checked against the schema of its
 * event, `<event>_event` (e.g. workflow_run_event, one of its actions).
 */

type Json = Record<string, unknown>;

let ajv: Ajv | undefined;
let schema: { definitions: Json } | undefined;
const compiled = new Map<string, ValidateFunction>();

function webhooksSchema(): { definitions: Json } {
  schema ??= JSON.parse(
    readFileSync(
      require.resolve('@octokit/webhooks-schemas/schema.json'),
      'utf8',
    ),
  ) as { definitions: Json };
  return schema;
}

/**
 * The events a repository or organisation webhook may subscribe to (`events` of a hook, as the
 * ping's schema lists them); GitHub App events such as deployment_review are not among them.
 */
export function hookEventNames(): string[] {
  const events = webhooksSchema().definitions['webhook-events'] as {
    oneOf: Array<{ items: { enum?: string[] } }>;
  };
  return events.oneOf.flatMap(branch => branch.items.enum ?? []);
}

function validatorOf(event: string): ValidateFunction {
  let validate = compiled.get(event);
  if (validate) return validate;
  if (!ajv) {
    // The schema's own extension for TypeScript generation; not a validation keyword.
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword('tsAdditionalProperties');
    addFormats(ajv);
    ajv.addSchema({ ...webhooksSchema(), $id: 'webhooks.json' });
  }
  // `workflow_run$completed` names one action's schema; `workflow_run` every action's.
  let name = event;
  if (!event.includes('$')) {
    name = ajv.getSchema(`webhooks.json#/definitions/${event}_event`)
      ? `${event}_event`
      : `${event}$event`;
  }
  const found = ajv.getSchema(`webhooks.json#/definitions/${name}`);
  if (!found) {
    throw new Error(`@octokit/webhooks-schemas describes no "${event}" event`);
  }
  validate = found;
  compiled.set(event, validate);
  return validate;
}

/** The problems of a payload for `event` (X-GitHub-Event), empty when it is valid. */
export function webhookPayloadProblems(
  event: string,
  payload: unknown,
): string[] {
  // Checked against its action's own schema where there is one: its problems, not every action's.
  const action = (payload as { action?: unknown } | null)?.action;
  const validate =
    typeof action === 'string' &&
    webhooksSchema().definitions[`${event}$${action}`]
      ? validatorOf(`${event}$${action}`)
      : validatorOf(event);
  if (validate(payload)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) =>
      `${error.instancePath || '/'} ${error.message}${
        error.params ? ` ${JSON.stringify(error.params)}` : ''
      }`,
  );
}

/** Throws, listing the problems, unless the payload is valid for `event`. */
export function assertValidWebhookPayload(
  event: string,
  payload: unknown,
): void {
  const problems = webhookPayloadProblems(event, payload);
  if (problems.length > 0) {
    throw new Error(
      `Invalid ${event} webhook payload (@octokit/webhooks-schemas):\n${problems
        .slice(0, 20)
        .join('\n')}`,
    );
  }
}

type Schema = Record<string, any>;

function resolved(node: Schema): Schema {
  let current = node;
  while (typeof current.$ref === 'string') {
    current = webhooksSchema().definitions[
      current.$ref.replace('#/definitions/', '')
    ] as Schema;
  }
  return current;
}

function typesOf(node: Schema): string[] {
  const type = resolved(node).type;
  if (Array.isArray(type)) return type;
  return type ? [type] : [];
}

/** The branch of a oneOf/anyOf a value of this kind takes (null aside). */
function branchFor(branches: Schema[], value: unknown): Schema | undefined {
  const kind = Array.isArray(value) ? 'array' : 'object';
  return branches.find(branch => {
    const node = resolved(branch);
    return (
      typesOf(node).includes(kind) ||
      (kind === 'object' && (node.properties || node.allOf))
    );
  });
}

function shaped(node: Schema, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const schemaNode = resolved(node);
  if (Array.isArray(value)) {
    const items = schemaNode.items as Schema | undefined;
    return items ? value.map(item => shaped(items, item)) : value;
  }
  const alternatives = (schemaNode.oneOf ?? schemaNode.anyOf) as
    | Schema[]
    | undefined;
  if (alternatives) {
    const branch = branchFor(alternatives, value);
    return branch ? shaped(branch, value) : value;
  }
  const parts = (
    (schemaNode.allOf as Schema[] | undefined) ?? [schemaNode]
  ).map(resolved);
  const properties: Record<string, Schema> = {};
  let closed = false;
  for (const part of parts) {
    Object.assign(properties, part.properties ?? {});
    if (part.additionalProperties === false) closed = true;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const property = properties[key];
    if (!property) {
      if (!closed) out[key] = item;
      continue;
    }
    out[key] = shaped(property, item);
  }
  return out;
}

/**
 * `payload` in the shape the schema of `event` (its `action` when it has one) gives it: GitHub's
 * webhooks carry the REST representations of runs, jobs, deployments and repositories, less the
 * fields the REST API adds for its callers (a repository's `permissions`, a user's `user_view_type`).
 * What stays is then checked in full by webhookPayloadProblems.
 */
export function inWebhookShape<T extends Record<string, unknown>>(
  event: string,
  payload: T,
): T {
  const definitions = webhooksSchema().definitions;
  const action = typeof payload.action === 'string' ? payload.action : '';
  const name = [`${event}$${action}`, `${event}$event`, `${event}_event`].find(
    candidate => definitions[candidate],
  );
  if (!name) {
    throw new Error(`@octokit/webhooks-schemas describes no "${event}" event`);
  }
  return shaped({ $ref: `#/definitions/${name}` }, payload) as T;
}
