import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AUDIT_ACTIONS,
  INSIGHTS_WINDOWS,
  AuditAction,
  FINDING_SEVERITIES,
  FINDING_STATES,
  FindingsFilter,
  LiveProbeRequest,
  ReviewDeploymentRequest,
  RollbackRequest,
  deliveryError,
} from '@internal/plugin-delivery-common';
import { z } from 'zod';
import { WriteAttempt } from '../environments/auditedAttempt';
import {
  AuditQuery,
  MAX_TEXT,
  ReviewAsked,
  RollbackAsked,
} from '../environments/environmentsService';

/*
 * What the delivery routes accept, as schemas: path parameters, queries and bodies are parsed
 * here, at the edge, and the services receive them whole and valid. A request that is not valid
 * answers 400 invalid-request with the first problem found.
 */

/** The value a schema makes of a request's part; its first problem answers 400 invalid-request. */
export function parse<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw deliveryError('invalid-request', result.error.issues[0].message);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Path parameters

/** The catalog entity every route is about. */
export const entityParams = z.object({
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
});

export const runParams = entityParams.extend({
  runId: z
    .string()
    .refine(value => Number.isSafeInteger(Number(value)) && Number(value) > 0, {
      error: issue => `"${issue.input}" is not a workflow run id`,
    })
    .transform(Number),
});

/** `:environment` is the environment's name (dev, staging, prod), never a namespace. */
export const environmentParams = entityParams.extend({
  environment: z.string(),
});

// ---------------------------------------------------------------------------------------------
// Queries

/** A query value that must be a whole number ≥ `min`, given or not. */
function wholeNumber(name: string, min: number) {
  return z
    .unknown()
    .refine(value => Number.isInteger(Number(value)) && Number(value) >= min, {
      error: issue =>
        `${name} must be a whole number ≥ ${min}, not "${issue.input}"`,
    })
    .transform(Number)
    .optional();
}

/** How many items to answer: a whole number, held between 1 and `max`. */
function count(name: string, max: number) {
  return wholeNumber(name, 0).transform(value =>
    value === undefined ? undefined : Math.max(1, Math.min(max, value)),
  );
}

export const dashboardQuery = z.object({
  runs: count('runs', 50).transform(runs => runs ?? 10),
});

export const runsQuery = z.object({
  branch: z
    .unknown()
    .optional()
    .transform(branch =>
      typeof branch === 'string' && branch !== '' ? branch : undefined,
    ),
  limit: count('limit', 100).transform(limit => limit ?? 20),
});

/** Without `runs`, the trend covers the configured number of runs. */
export const trendQuery = z.object({ runs: count('runs', 50) });

/** A list filter: comma separated, repeated, or both; empty means no filter. */
const list = z
  .unknown()
  .optional()
  .transform(value => {
    if (value === undefined) return undefined;
    const values = (Array.isArray(value) ? value : [value])
      .flatMap(v => String(v).split(','))
      .map(v => v.trim())
      .filter(Boolean);
    return values.length ? values : undefined;
  });

/** A list filter whose values must be some of `allowed` (any case). */
function listOf<T extends string>(name: string, allowed: readonly T[]) {
  return list.transform((values, context) => {
    if (!values) return undefined;
    const lowered = values.map(v => v.toLowerCase());
    const unknown = lowered.filter(
      v => !(allowed as readonly string[]).includes(v),
    );
    if (unknown.length) {
      context.issues.push({
        code: 'custom',
        input: values,
        message: `Unknown ${name} ${unknown.join(
          ', ',
        )}; use one of ${allowed.join(', ')}`,
      });
      return z.NEVER;
    }
    return lowered as T[];
  });
}

/** `tool`, `severity`, `state`, `source`; state defaults to open. */
export const findingsFilterQuery = z.object({
  tool: list,
  severity: listOf('severity', FINDING_SEVERITIES),
  state: listOf('state', FINDING_STATES).transform(
    state => state ?? ['open' as const],
  ),
  source: listOf('source', ['code-scanning', 'sonarcloud'] as const),
}) satisfies z.ZodType<FindingsFilter>;

export const findingsPageQuery = z.object({
  offset: wholeNumber('offset', 0).transform(offset => offset ?? 0),
  limit: count('limit', 10_000),
});

/** The approvals inbox's page: 25 from the first by default, at most 100. */
export const inboxQuery = z.object({
  offset: wholeNumber('offset', 0).transform(offset => offset ?? 0),
  limit: count('limit', 100).transform(limit => limit ?? 25),
});

/** A query value given at most once; empty counts as not given. */
function once(name: string) {
  return z
    .string({ error: `${name} must be given once` })
    .optional()
    .transform(value => value || undefined);
}

/** A query value given at most once that must be a whole number ≥ 1. */
function onceWholeNumber(name: string) {
  return once(name)
    .refine(
      value =>
        value === undefined ||
        (Number.isSafeInteger(Number(value)) && Number(value) >= 1),
      {
        error: issue =>
          `${name} must be a whole number ≥ 1, not "${issue.input}"`,
      },
    )
    .transform(value => (value === undefined ? undefined : Number(value)));
}

export const auditQuery = z.object({
  action: once('action')
    .refine(
      action =>
        action === undefined ||
        (AUDIT_ACTIONS as readonly string[]).includes(action),
      {
        error: issue =>
          `action must be one of ${AUDIT_ACTIONS.join(', ')}, not "${
            issue.input
          }"`,
      },
    )
    .transform(action => action as AuditAction | undefined),
  limit: onceWholeNumber('limit')
    .transform(limit => limit ?? 50)
    .refine(limit => limit <= 500, {
      error: issue => `limit must be at most 500, not ${issue.input}`,
    }),
  environment: once('environment'),
  before: onceWholeNumber('before'),
}) satisfies z.ZodType<AuditQuery>;

// ---------------------------------------------------------------------------------------------
// Bodies of approvals and rollbacks

/** A JSON object with only `allowed` fields; no body at all is an empty object. */
function jsonObject(allowed: string[]) {
  return z
    .unknown()
    .transform(body => body ?? {})
    .pipe(
      z
        .record(z.string(), z.unknown(), {
          error: 'The request body must be a JSON object',
        })
        .refine(body => Object.keys(body).every(key => allowed.includes(key)), {
          error: issue => {
            const unknown = Object.keys(issue.input as object).filter(
              key => !allowed.includes(key),
            );
            return `Unknown field${
              unknown.length > 1 ? 's' : ''
            } ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`;
          },
        }),
    );
}

/** A text people wrote (a comment, a reason): at most MAX_TEXT characters, blank is none. */
function text(name: string) {
  return z
    .string({ error: `${name} must be a string` })
    .max(MAX_TEXT, {
      error: issue =>
        `${name} must be at most ${MAX_TEXT} characters (got ${
          (issue.input as string).length
        })`,
    })
    .nullish()
    .transform(value => value?.trim() || undefined);
}

/** A Deployment revision number. */
function revision(name: string) {
  const notRevision = (issue: { input?: unknown }) =>
    `${name} must be a revision number ≥ 1, not ${JSON.stringify(issue.input)}`;
  return z
    .number({ error: notRevision })
    .refine(value => Number.isSafeInteger(value) && value >= 1, {
      error: notRevision,
    })
    .nullish()
    .transform(value => value ?? undefined);
}

const ENVIRONMENT_NAMES =
  'environments must be a non-empty list of environment names';

export const reviewBody = jsonObject([
  'decision',
  'environments',
  'comment',
]).pipe(
  z.object({
    decision: z.enum(['approve', 'reject'], {
      error: issue =>
        `decision must be "approve" or "reject", not ${JSON.stringify(
          issue.input,
        )}`,
    }),
    environments: z
      .array(
        z
          .string({ error: ENVIRONMENT_NAMES })
          .min(1, { error: ENVIRONMENT_NAMES })
          .max(255, { error: ENVIRONMENT_NAMES }),
        { error: ENVIRONMENT_NAMES },
      )
      .min(1, { error: ENVIRONMENT_NAMES })
      .optional(),
    comment: text('comment'),
  }),
) satisfies z.ZodType<ReviewDeploymentRequest>;

export const rollbackBody = jsonObject([
  'toRevision',
  'expectedCurrentRevision',
  'reason',
]).pipe(
  z.object({
    toRevision: revision('toRevision'),
    expectedCurrentRevision: revision('expectedCurrentRevision'),
    reason: text('reason'),
  }),
) satisfies z.ZodType<RollbackRequest>;

export const liveProbeBody = jsonObject(['nonce']).pipe(
  z.object({
    nonce: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, {
      error: 'nonce must be 8 to 64 letters, digits or dashes',
    }),
  }),
) satisfies z.ZodType<LiveProbeRequest>;

/** What an audit entry can say of a body that may not be valid: each field of the right type. */
function leniently<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape).catch({} as z.output<z.ZodObject<Shape>>);
}

/** Any text, cut to MAX_TEXT characters. */
const anyText = z
  .string()
  .transform(value => value.slice(0, MAX_TEXT))
  .optional()
  .catch(undefined);

const anyNumber = z.number().optional().catch(undefined);

export const reviewAsked = leniently({
  decision: z.string().optional().catch(undefined),
  environments: z
    .array(z.unknown())
    .transform(names =>
      names.filter((name): name is string => typeof name === 'string'),
    )
    .optional()
    .catch(undefined),
  comment: anyText,
}) satisfies z.ZodType<ReviewAsked>;

export const rollbackAsked = leniently({
  toRevision: anyNumber,
  expectedCurrentRevision: anyNumber,
  reason: anyText,
}) satisfies z.ZodType<RollbackAsked>;

/** A write as the caller sent it: audited as asked, validated when the attempt begins. */
export function writeAttempt<Asked, Request>(
  asked: z.ZodType<Asked>,
  valid: z.ZodType<Request>,
  body: unknown,
): WriteAttempt<Asked, Request> {
  return {
    asked: asked.parse(body),
    validated: () => parse(valid, body),
  };
}

// ---------------------------------------------------------------------------------------------
// Insights

/** A catalog entity ref of the given kind, e.g. component:default/titanic-service. */
function entityRefOf(name: string, kind: string) {
  return once(name).transform((value, context) => {
    if (value === undefined) return undefined;
    try {
      const ref = parseEntityRef(value, {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
        throw new Error(`not a ${kind}`);
      }
      return stringifyEntityRef(ref);
    } catch {
      context.issues.push({
        code: 'custom',
        input: value,
        message: `${name} must be a ${kind} entity ref such as ${kind}:default/name, not "${value}"`,
      });
      return z.NEVER;
    }
  });
}

const insightsDays = once('days')
  .transform(days => (days === undefined ? 30 : Number(days)))
  .refine(days => (INSIGHTS_WINDOWS as readonly number[]).includes(days), {
    error: issue =>
      `days must be one of ${INSIGHTS_WINDOWS.join(', ')}, not "${
        issue.input
      }"`,
  });

export const doraQuery = z
  .object({
    entityRef: entityRefOf('entityRef', 'component'),
    group: entityRefOf('group', 'group'),
    days: insightsDays,
  })
  .refine(query => !(query.entityRef && query.group), {
    error: 'Give entityRef or group, not both',
  });

export const overviewQuery = z.object({ days: insightsDays });
