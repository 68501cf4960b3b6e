/*
 * Failures answered as the apiserver answers them: a `kind: Status` object whose message,
 * reason, details and code match what k8s.io/apimachinery/pkg/api/errors builds, so clients
 * (client-go's IsConflict, @kubernetes/client-node's ApiException) read them unchanged.
 */

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{ reason?: string; message?: string; field?: string }>;
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group/resource pair as the apiserver prints it: `deployments.apps`, `pods`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResourceName({
  group,
  resource,
}: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

export class KubernetesApiError extends Error {
  readonly status: StatusObject;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubernetesApiError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
  }

  get code(): number {
    return this.status.code;
  }
}

function resourceDetails(gr: GroupResource, name?: string): StatusDetails {
  return {
    ...(name ? { name } : {}),
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  };
}

export function notFound(gr: GroupResource, name: string): KubernetesApiError {
  return new KubernetesApiError(
    404,
    'NotFound',
    `${qualifiedResourceName(gr)} "${name}" not found`,
    resourceDetails(gr, name),
  );
}

/** An unknown path or resource: the apiserver's generic 404. */
export function routeNotFound(): KubernetesApiError {
  return new KubernetesApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(
  gr: GroupResource,
  name: string,
): KubernetesApiError {
  return new KubernetesApiError(
    409,
    'AlreadyExists',
    `${qualifiedResourceName(gr)} "${name}" already exists`,
    resourceDetails(gr, name),
  );
}

export function conflict(gr: GroupResource, name: string): KubernetesApiError {
  return new KubernetesApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResourceName(
      gr,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(gr, name),
  );
}

export function unauthorized(): KubernetesApiError {
  return new KubernetesApiError(401, 'Unauthorized', 'Unauthorized');
}

/** The RBAC authorizer's denial, word for word. */
export function forbidden(options: {
  user: string;
  verb: string;
  gr: GroupResource;
  subresource?: string;
  namespace?: string;
  name?: string;
}): KubernetesApiError {
  const { user, verb, gr, subresource, namespace, name } = options;
  const subject = name
    ? `${qualifiedResourceName(gr)} "${name}"`
    : qualifiedResourceName(gr);
  const resource = subresource ? `${gr.resource}/${subresource}` : gr.resource;
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return new KubernetesApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${gr.group}" ${scope}`,
    resourceDetails(gr, name),
  );
}

export interface FieldError {
  /** field.ErrorType reason, e.g. FieldValueInvalid, FieldValueRequired. */
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported';
  field: string;
  message: string;
}

/** errors.NewInvalid: `Deployment.apps "x" is invalid: spec.selector: Invalid value: ...`. */
export function invalid(
  kind: string,
  group: string,
  name: string,
  fieldErrors: FieldError[],
): KubernetesApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const messages = fieldErrors.map(e => `${e.field}: ${e.message}`);
  const summary =
    messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  return new KubernetesApiError(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${summary}`,
    {
      name,
      ...(group ? { group } : {}),
      kind,
      causes: fieldErrors.map(e => ({
        reason: e.reason,
        message: e.message,
        field: e.field,
      })),
    },
  );
}

/**
 * What the patch handler answers when a JSON patch cannot be applied, including a failed
 * `test` operation: a 422 built by errors.NewGenericServerResponse (not a 409).
 */
export function patchNotApplicable(): KubernetesApiError {
  return new KubernetesApiError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
}

export function badRequest(message: string): KubernetesApiError {
  return new KubernetesApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(): KubernetesApiError {
  return new KubernetesApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function unsupportedMediaType(contentType: string): KubernetesApiError {
  return new KubernetesApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${
      contentType || 'none'
    })`,
    {},
  );
}

/** A watch resumed from a resourceVersion the server no longer remembers. */
export function expired(requested: string, oldest: string): KubernetesApiError {
  return new KubernetesApiError(
    410,
    'Expired',
    `too old resource version: ${requested} (${oldest})`,
  );
}
