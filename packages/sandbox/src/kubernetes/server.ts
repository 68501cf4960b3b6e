/*
 * The Kubernetes API over HTTP: maps REST paths and verbs to cluster calls, authenticates
 * bearer tokens, authorizes like RBAC, answers failures as Status objects, serves discovery,
 * server-side printing for kubectl, and watches as newline-delimited JSON streams.
 */

import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import {
  KubernetesApiError,
  badRequest,
  expired,
  forbidden,
  methodNotAllowed,
  routeNotFound,
  unauthorized,
  unsupportedMediaType,
} from './apiErrors';
import { KubernetesIdentity, authenticate, isAllowed } from './authorization';
import { KubernetesCluster } from './cluster';
import {
  SERVER_VERSION,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  hasGroup,
} from './discovery';
import { KubeObject, StoreChange, WatchEventType } from './objectStore';
import { PATCH_CONTENT_TYPES } from './patches';
import { ResourceType, apiVersionOf, findResourceType } from './resources';
import { IncludeObject, toTable, wantsTable } from './tables';

interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

function parseResourcePath(
  pathname: string,
): ResourceRequest | 'unknown' | undefined {
  const segments = pathname
    .split('/')
    .filter(s => s.length > 0)
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = findResourceType(group, version, rest[2]);
    if (!type || !type.namespaced || rest.length > 5) return 'unknown';
    return { type, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const type = findResourceType(group, version, rest[0]);
  if (!type || rest.length > 3) return 'unknown';
  if (type.namespaced && rest.length > 1) return 'unknown';
  return { type, name: rest[1], subresource: rest[2] };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new KubernetesApiError(
            413,
            'RequestEntityTooLarge',
            'Request entity too large: limit is 3145728',
          ),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Bodies of create and update must be JSON. kubectl's typed clients (`kubectl create
 * deployment`) send protobuf, which the sandbox does not decode: answer as the apiserver
 * answers an unknown format instead of failing to parse.
 */
async function readObjectBody(
  request: http.IncomingMessage,
): Promise<KubeObject> {
  const contentType = (request.headers['content-type'] ?? 'application/json')
    .split(';')[0]
    .trim();
  if (contentType !== 'application/json' && contentType !== '*/*') {
    request.resume();
    throw new KubernetesApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json (the sandbox does not decode ${contentType})`,
      {},
    );
  }
  return parseJson(await readBody(request)) as KubeObject;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `error decoding request body: ${(error as Error).message}`,
    );
  }
}

function sendJson(response: http.ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    'X-Kubernetes-Pf-Flowschema-Uid': 'sandbox',
    'X-Kubernetes-Pf-Prioritylevel-Uid': 'sandbox',
  });
  response.end(text);
}

function errorStatus(error: unknown) {
  if (error instanceof KubernetesApiError) return error.status;
  const message = error instanceof Error ? error.message : String(error);
  return new KubernetesApiError(
    500,
    'InternalError',
    `Internal error occurred: ${message}`,
    {
      causes: [{ message }],
    },
  ).status;
}

function verbOf(
  method: string,
  request: ResourceRequest,
  watch: boolean,
): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return request.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return request.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

export interface KubernetesHttpServerOptions {
  cluster: KubernetesCluster;
  identities: Readonly<Record<string, KubernetesIdentity>>;
  /** Sees every JSON document the server answers (tests validate them against the schemas). */
  onResponseDocument?: (document: unknown) => void;
  /** Serve https with this key and certificate (kubectl sends tokens only over TLS). */
  tls?: { key: string; cert: string };
}

export class KubernetesHttpServer {
  readonly server: http.Server | https.Server;
  private readonly scheme: 'http' | 'https';
  private readonly cluster: KubernetesCluster;
  private readonly identities: Readonly<Record<string, KubernetesIdentity>>;
  private readonly openWatches = new Set<() => void>();
  private readonly onResponseDocument?: (document: unknown) => void;

  constructor(options: KubernetesHttpServerOptions) {
    this.cluster = options.cluster;
    this.identities = options.identities;
    this.onResponseDocument = options.onResponseDocument;
    const listener = (
      request: http.IncomingMessage,
      response: http.ServerResponse,
    ) => {
      this.handle(request, response).catch(error => {
        if (!response.headersSent) {
          const status = errorStatus(error);
          this.json(response, status.code, status);
        } else {
          response.destroy();
        }
      });
    };
    this.scheme = options.tls ? 'https' : 'http';
    this.server = options.tls
      ? https.createServer(options.tls, listener)
      : http.createServer(listener);
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const printableHost =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${this.scheme}://${printableHost}:${address.port}`;
  }

  async close(): Promise<void> {
    for (const stop of [...this.openWatches]) stop();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  private json(response: http.ServerResponse, code: number, body: unknown) {
    this.onResponseDocument?.(body);
    sendJson(response, code, body);
  }

  private async handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ) {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = request.method ?? 'GET';

    // Like system:public-info-viewer: health and version need no credentials.
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('ok');
      return;
    }
    if (path === '/version') {
      this.json(response, 200, SERVER_VERSION);
      return;
    }

    const identity = authenticate(
      request.headers.authorization,
      this.identities,
    );
    if (!identity) throw unauthorized();

    const discovery = this.discovery(path, request);
    if (discovery !== undefined) {
      if (method !== 'GET') throw methodNotAllowed();
      this.json(response, 200, discovery);
      return;
    }

    const resourceRequest = parseResourcePath(path);
    if (!resourceRequest || resourceRequest === 'unknown')
      throw routeNotFound();
    const query = url.searchParams;
    const watch = query.get('watch') === 'true' || query.get('watch') === '1';
    const verb = verbOf(method, resourceRequest, watch);
    const { type, namespace, name, subresource } = resourceRequest;
    if (subresource && !type.subresources.some(s => s.name === subresource))
      throw routeNotFound();

    if (!isAllowed(identity, verb)) {
      throw forbidden({
        user: identity.user,
        verb,
        gr: { group: type.group, resource: type.resource },
        subresource,
        namespace,
        name,
      });
    }

    const dryRun = query.getAll('dryRun').includes('All');
    const listOptions = {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
    };

    if (watch) {
      this.watch(request, response, resourceRequest, listOptions, query);
      return;
    }

    switch (verb) {
      case 'get':
        if (subresource === 'scale') {
          this.json(
            response,
            200,
            this.cluster.getScale(type, namespace!, name!),
          );
        } else if (subresource === 'log') {
          this.sendLog(response, namespace!, name!);
        } else {
          this.sendObjects(
            request,
            response,
            type,
            [this.cluster.get(type, namespace, name!)],
            true,
            query,
          );
        }
        return;
      case 'list': {
        const { items, resourceVersion } = this.cluster.list(
          type,
          namespace,
          listOptions,
        );
        if (wantsTable(request.headers.accept)) {
          this.sendObjects(request, response, type, items, false, query);
          return;
        }
        this.json(response, 200, {
          kind: `${type.kind}List`,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion },
          items,
        });
        return;
      }
      case 'create': {
        const body = await readObjectBody(request);
        const created = this.cluster.create(type, namespace, body, { dryRun });
        this.json(response, 201, created);
        return;
      }
      case 'update': {
        const body = await readObjectBody(request);
        if (subresource === 'scale') {
          this.json(
            response,
            200,
            this.cluster.replaceScale(type, namespace!, name!, body, {
              dryRun,
            }),
          );
        } else {
          this.json(
            response,
            200,
            this.cluster.replace(
              type,
              namespace,
              name!,
              body,
              subresource as 'status' | undefined,
              { dryRun },
            ),
          );
        }
        return;
      }
      case 'patch': {
        const contentType = (request.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (
          !Object.values(PATCH_CONTENT_TYPES).includes(contentType as never)
        ) {
          throw unsupportedMediaType(contentType);
        }
        const patch = parseJson(await readBody(request));
        if (subresource === 'scale') {
          this.json(
            response,
            200,
            this.cluster.patchScale(
              type,
              namespace!,
              name!,
              contentType,
              patch,
              { dryRun },
            ),
          );
        } else {
          this.json(
            response,
            200,
            this.cluster.patch(
              type,
              namespace,
              name!,
              contentType,
              patch,
              subresource as 'status' | undefined,
              { dryRun },
            ),
          );
        }
        return;
      }
      case 'delete': {
        const text = await readBody(request);
        const options = text
          ? (parseJson(text) as {
              preconditions?: { resourceVersion?: string; uid?: string };
              gracePeriodSeconds?: number;
            })
          : {};
        const gracePeriod = query.get('gracePeriodSeconds');
        const removed = this.cluster.delete(
          type,
          namespace,
          name!,
          options.preconditions ?? {},
          {
            dryRun,
            gracePeriodSeconds:
              gracePeriod !== null
                ? Number(gracePeriod)
                : options.gracePeriodSeconds,
          },
        );
        if (type.kind === 'Pod' || type.kind === 'Namespace') {
          this.json(response, 200, removed);
        } else {
          this.json(response, 200, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: {
              name,
              ...(type.group ? { group: type.group } : {}),
              kind: type.resource,
              uid: removed.metadata.uid,
            },
          });
        }
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  private discovery(path: string, request: http.IncomingMessage): unknown {
    if (path === '/api')
      return apiVersions(request.headers.host ?? 'localhost');
    if (path === '/apis') return apiGroupList();
    const groupMatch = /^\/apis\/([^/]+)$/.exec(path);
    if (groupMatch && hasGroup(groupMatch[1])) return apiGroup(groupMatch[1]);
    if (path === '/api/v1') return apiResourceList('', 'v1');
    const versionMatch = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (versionMatch)
      return (
        apiResourceList(versionMatch[1], versionMatch[2]) ??
        routeNotFoundThrow()
      );
    return undefined;
  }

  private sendObjects(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    type: ResourceType,
    objects: KubeObject[],
    single: boolean,
    query: URLSearchParams,
  ) {
    if (wantsTable(request.headers.accept)) {
      const includeObject = (query.get('includeObject') ??
        'Metadata') as IncludeObject;
      const resourceVersion = single
        ? objects[0].metadata.resourceVersion
        : this.cluster.store.resourceVersion;
      this.json(
        response,
        200,
        toTable(
          type.kind,
          objects,
          resourceVersion,
          this.cluster.now(),
          includeObject,
        ),
      );
      return;
    }
    this.json(response, 200, objects[0]);
  }

  private sendLog(
    response: http.ServerResponse,
    namespace: string,
    name: string,
  ) {
    const pod = this.cluster.get(
      findResourceType('', 'v1', 'pods')!,
      namespace,
      name,
    );
    const image = pod.spec?.containers?.[0]?.image ?? '';
    const started =
      pod.status?.containerStatuses?.[0]?.state?.running?.startedAt ??
      pod.metadata.creationTimestamp;
    const crashing = this.cluster.isCrashingImage(image);
    const lines = [
      `{"level":30,"time":"${started}","msg":"Starting titanic-service","image":"${image}"}`,
      `{"level":30,"time":"${started}","msg":"Running database migrations"}`,
      crashing
        ? `{"level":60,"time":"${started}","msg":"Unhandled error: relation \\"people_stats\\" does not exist","exitCode":1}`
        : `{"level":30,"time":"${started}","msg":"Server listening at http://0.0.0.0:8080"}`,
    ];
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end(`${lines.join('\n')}\n`);
  }

  private watch(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    { type, namespace, name }: ResourceRequest,
    listOptions: { labelSelector?: string; fieldSelector?: string },
    query: URLSearchParams,
  ) {
    const matchesSelectors = this.cluster.matcher(listOptions);
    const matches = (object: KubeObject | undefined) =>
      object !== undefined &&
      (namespace === undefined || object.metadata.namespace === namespace) &&
      (name === undefined || object.metadata.name === name) &&
      matchesSelectors(object);

    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    response.flushHeaders();
    // `kubectl get -w` watches with server-side printing: each event then carries a one-row Table.
    const asTable = wantsTable(request.headers.accept);
    const includeObject = (query.get('includeObject') ??
      'Metadata') as IncludeObject;
    const send = (eventType: WatchEventType | 'ERROR', object: unknown) => {
      const payload =
        asTable && eventType !== 'ERROR'
          ? toTable(
              type.kind,
              [object as KubeObject],
              (object as KubeObject).metadata.resourceVersion,
              this.cluster.now(),
              includeObject,
            )
          : object;
      this.onResponseDocument?.({ type: eventType, object: payload });
      response.write(
        `${JSON.stringify({ type: eventType, object: payload })}\n`,
      );
    };
    const deliver = (change: StoreChange) => {
      if (change.resourceType !== type) return;
      const nowMatches = matches(change.object);
      const matchedBefore =
        change.type === 'MODIFIED' ? matches(change.previous) : nowMatches;
      if (change.type === 'MODIFIED' && nowMatches !== matchedBefore) {
        send(nowMatches ? 'ADDED' : 'DELETED', change.object);
      } else if (nowMatches) {
        send(change.type, change.object);
      }
    };

    const requested = query.get('resourceVersion');
    if (!requested || requested === '0') {
      for (const object of this.cluster.store.list(type, namespace)) {
        if (matches(object)) send('ADDED', object);
      }
    } else {
      const changes = this.cluster.store.changesSince(Number(requested));
      if (!changes) {
        send(
          'ERROR',
          expired(requested, this.cluster.store.oldestRememberedVersion())
            .status,
        );
        response.end();
        return;
      }
      for (const change of changes) deliver(change);
    }

    const unsubscribe = this.cluster.store.subscribe(deliver);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 1800);
    const lifetime: { stopped: boolean; timer?: NodeJS.Timeout } = {
      stopped: false,
    };
    const stop = () => {
      if (lifetime.stopped) return;
      lifetime.stopped = true;
      unsubscribe();
      clearTimeout(lifetime.timer);
      this.openWatches.delete(stop);
      response.end();
    };
    lifetime.timer = setTimeout(stop, timeoutSeconds * 1000);
    lifetime.timer.unref?.();
    this.openWatches.add(stop);
    request.on('close', stop);
    response.on('close', stop);
  }
}

function routeNotFoundThrow(): never {
  throw routeNotFound();
}
