import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

/*
 * Validates sandbox responses against GitHub's own OpenAPI description
 * (@octokit/openapi generated/api.github.com.json, read directly: the package's main export
 * loads every variant). Used by the contract tests only.
 */

type Json = Record<string, any>;

let spec: Json | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
const validated = new Set<string>();

/** 69 GitHub schemas say `nullable: true` but list an enum without null; JSON Schema needs it listed. */
function addNullToNullableEnums(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(addNullToNullableEnums);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (
    schema.nullable === true &&
    Array.isArray(schema.enum) &&
    !schema.enum.includes(null)
  ) {
    schema.enum.push(null);
  }
  for (const value of Object.values(schema)) addNullToNullableEnums(value);
  // Ajv implements `nullable` only next to `type`; `nullable` on allOf/anyOf/$ref means "or null".
  if (schema.nullable === true && schema.type === undefined) {
    const inner: Json = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key !== 'nullable') inner[key] = value;
      delete schema[key];
    }
    schema.anyOf = [inner, { type: 'null' }];
  }
}

/**
 * GET /app/installations describes its items inline with `account: allOf [simple-user,
 * enterprise]`, which no account satisfies (an organisation has no `slug`, an enterprise no
 * `login`); every other installation route uses components' `installation`, where it is
 * `anyOf`. The list is validated as a list of those.
 */
function correctInstallationList(s: Json): void {
  const list =
    s.paths['/app/installations']?.get?.responses?.['200']?.content?.[
      'application/json'
    ]?.schema;
  if (list?.items?.properties?.account?.allOf)
    list.items = { $ref: '#/components/schemas/installation' };
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `github.json${value}`
        : rewriteRefs(value);
  }
  return out;
}

function load(): { spec: Json; ajv: Ajv } {
  if (!spec || !ajv) {
    const path = require.resolve(
      '@octokit/openapi/generated/api.github.com.json',
    );
    spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    addNullToNullableEnums(spec.components);
    correctInstallationList(spec);
    ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      validateFormats: true,
    });
    addFormats(ajv);
    ajv.addSchema({ $id: 'github.json', components: spec.components });
  }
  return { spec, ajv };
}

function resolveResponse(s: Json, response: Json): Json {
  if (response.$ref) {
    const name = (response.$ref as string).split('/').at(-1)!;
    return s.components.responses[name];
  }
  return response;
}

export function responseSchema(
  method: string,
  pathTemplate: string,
  status: number,
): Json | null {
  const { spec: s } = load();
  const operation = s.paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation)
    throw new Error(
      `GitHub's OpenAPI description has no operation ${method} ${pathTemplate}`,
    );
  const response = operation.responses[String(status)];
  if (!response)
    throw new Error(
      `${method} ${pathTemplate} does not document status ${status}`,
    );
  const resolved = resolveResponse(s, response);
  return resolved.content?.['application/json']?.schema ?? null;
}

export interface ValidationOutcome {
  valid: boolean;
  errors: string[];
}

/**
 * Validates one real response of the sandbox against the documented response of
 * `method pathTemplate` with `status`. Records the operation as covered.
 */
export function validateGitHubResponse(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): ValidationOutcome {
  const key = `${method.toUpperCase()} ${pathTemplate} ${status}`;
  const { ajv: validator } = load();
  let validate = compiled.get(key);
  if (!validate) {
    const schema = responseSchema(method, pathTemplate, status);
    // Some operations describe their response inline (GET /app/installations), not by $ref.
    if (schema) addNullToNullableEnums(schema);
    validate = validator.compile(schema ? (rewriteRefs(schema) as Json) : {});
    compiled.set(key, validate);
  }
  validated.add(`${method.toUpperCase()} ${pathTemplate}`);
  const valid = validate(body) as boolean;
  return {
    valid,
    errors: (validate.errors ?? []).map(
      e => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    ),
  };
}

export function operationId(method: string, pathTemplate: string): string {
  const { spec: s } = load();
  return s.paths[pathTemplate]?.[method.toLowerCase()]?.operationId;
}

/** Operations validated so far in this test process ("GET /repos/{owner}/{repo}"). */
export function validatedOperations(): ReadonlySet<string> {
  return validated;
}

export function documentedStatuses(
  method: string,
  pathTemplate: string,
): string[] {
  const { spec: s } = load();
  return Object.keys(
    s.paths[pathTemplate]?.[method.toLowerCase()]?.responses ?? {},
  );
}

export function expectMatchesGitHubSchema(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): void {
  const outcome = validateGitHubResponse(method, pathTemplate, status, body);
  if (!outcome.valid) {
    throw new Error(
      `Response of ${method} ${pathTemplate} (${status}) does not match GitHub's OpenAPI schema:\n${outcome.errors
        .slice(0, 15)
        .join('\n')}`,
    );
  }
}
