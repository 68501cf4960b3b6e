/*
 * The Kubernetes API over HTTP: maps REST paths and verbs (requestInfo.ts) to cluster calls,
 * authenticates bearer tokens, authorizes like RBAC, answers failures as Status objects, serves
 * discovery, server-side printing for kubectl, and watches (watch.ts).
 */

import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import {
  KubernetesApiError,
  forbidden,
  methodNotAllowed,
  routeNotFound,
  unauthorized,
  unsupportedMediaType,
} from '../apimachinery/apiErrors';
import { KubernetesIdentity, authenticate, isAllowed } from './authorization';
import { KubernetesCluster } from '../cluster';
import {
  SERVER_VERSION,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  hasGroup,
} from './discovery';
import { KubeObject } from '../apimachinery/objects';
import { PATCH_CONTENT_TYPES } from '../apimachinery/patches';
import {
  ResourceType,
  apiVersionOf,
  findResourceType,
} from '../apimachinery/resources';
import { readBody, readObjectBody, parseJson } from './requestBodies';
import { parseResourcePath, verbOf } from './requestInfo';
import { IncludeObject, toTable, wantsTable } from './tables';
import { serveWatch } from './watch';

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
      serveWatch(request, response, resourceRequest, listOptions, query, {
        cluster: this.cluster,
        openWatches: this.openWatches,
        onResponseDocument: this.onResponseDocument,
      });
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
}

function routeNotFoundThrow(): never {
  throw routeNotFound();
}
