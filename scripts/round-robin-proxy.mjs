#!/usr/bin/env node
// A round-robin HTTP and WebSocket proxy in front of several backend replicas, as a cloud load
// balancer or a Kubernetes Service would put them: each request (or upgraded connection) goes to
// the next replica that is ready. Like a Service with a readiness probe, it sends nothing to a
// replica until its readiness endpoint answers 200 (a starting backend listens before its plugins
// have their routes), and stops sending when it no longer does. A replica that refuses the
// connection is skipped for that request, so stopping one never fails a request another could
// serve. Every response says which replica served it in `x-titanic-replica` (its 1-based position
// in the list), so tests can prove both do.
//
//   node scripts/round-robin-proxy.mjs --listen 7007 --target http://127.0.0.1:7011 --target http://127.0.0.1:7012
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '7007' },
    host: { type: 'string', default: '0.0.0.0' },
    target: { type: 'string', multiple: true },
    'ready-path': {
      type: 'string',
      default: '/.backstage/health/v1/readiness',
    },
    'probe-interval-ms': { type: 'string', default: '1000' },
  },
});
const targets = (values.target ?? []).map(target => new URL(target));
if (!targets.length) {
  console.error(
    'usage: round-robin-proxy.mjs --listen PORT --target URL [--target URL ...]',
  );
  process.exit(2);
}

/** Indices of the replicas whose readiness endpoint last answered 200. */
const ready = new Set();

function probe(index) {
  const target = targets[index];
  const check = http.get(
    {
      host: target.hostname,
      port: target.port,
      path: values['ready-path'],
      timeout: 2000,
    },
    response => {
      response.resume();
      if (response.statusCode === 200) ready.add(index);
      else ready.delete(index);
    },
  );
  check.on('timeout', () =>
    check.destroy(new Error('readiness probe timed out')),
  );
  check.on('error', () => ready.delete(index));
}
const probeAll = () => targets.forEach((_, index) => probe(index));
probeAll();
const probing = setInterval(probeAll, Number(values['probe-interval-ms']));

let next = 0;
/** The ready replicas to try for one request, starting at the next in turn. */
function rotation() {
  const start = next;
  next = (next + 1) % targets.length;
  return targets
    .map((_, i) => (start + i) % targets.length)
    .filter(index => ready.has(index));
}

const isConnectError = error =>
  ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH'].includes(error.code) &&
  !error.responded;

function forwardedHeaders(req) {
  const headers = { ...req.headers };
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${client}`
    : client;
  headers['x-forwarded-host'] ??= req.headers.host ?? '';
  headers['x-forwarded-proto'] ??= 'http';
  return headers;
}

const server = http.createServer((req, res) => {
  // The body is buffered so that a request can be replayed on the next replica when the first
  // refuses the connection (nothing reached it, so nothing can have happened twice).
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const order = rotation();
    if (!order.length) {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
      res.end('No backend replica is ready\n');
      return;
    }
    const attempt = position => {
      const index = order[position];
      const target = targets[index];
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: forwardedHeaders(req),
        },
        response => {
          upstream.responded = true;
          res.writeHead(response.statusCode ?? 502, {
            ...response.headers,
            'x-titanic-replica': String(index + 1),
          });
          response.pipe(res);
        },
      );
      upstream.on('error', error => {
        error.responded = upstream.responded;
        if (isConnectError(error)) ready.delete(index);
        if (isConnectError(error) && position + 1 < order.length) {
          attempt(position + 1);
        } else if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`No backend replica answered: ${error.message}\n`);
        } else {
          res.destroy(error);
        }
      });
      upstream.end(body);
    };
    attempt(0);
  });
});

server.on('upgrade', (req, socket, head) => {
  const order = rotation();
  if (!order.length) {
    socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
    return;
  }
  const attempt = position => {
    const index = order[position];
    const target = targets[index];
    const upstream = net.connect(Number(target.port), target.hostname);
    upstream.once('connect', () => {
      const headers = forwardedHeaders(req);
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [name, value] of Object.entries(headers)) {
        for (const item of Array.isArray(value) ? value : [value])
          lines.push(`${name}: ${item}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', error => {
      if (error.code === 'ECONNREFUSED' && position + 1 < order.length)
        attempt(position + 1);
      else socket.destroy();
    });
    socket.on('error', () => upstream.destroy());
  };
  attempt(0);
});

server.listen(Number(values.listen), values.host, () => {
  console.log(
    `round-robin proxy on :${values.listen} → ${targets
      .map(target => target.host)
      .join(', ')}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    clearInterval(probing);
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
