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
const compiled = new Map<string, ValidateFunction>();

function validatorOf(event: string): ValidateFunction {
  let validate = compiled.get(event);
  if (validate) return validate;
  if (!ajv) {
    const schema = JSON.parse(
      readFileSync(
        require.resolve('@octokit/webhooks-schemas/schema.json'),
        'utf8',
      ),
    ) as Json;
    // The schema's own extension for TypeScript generation; not a validation keyword.
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addKeyword('tsAdditionalProperties');
    addFormats(ajv);
    ajv.addSchema({ ...schema, $id: 'webhooks.json' });
  }
  const name = ajv.getSchema(`webhooks.json#/definitions/${event}_event`)
    ? `${event}_event`
    : `${event}$event`;
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
  const validate = validatorOf(event);
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
