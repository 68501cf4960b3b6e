#!/usr/bin/env node
// A round-robin HTTP and WebSocket proxy in front of several backend replicas, as a cloud load
// balancer or a Kubernetes Service would put them: each request (or upgraded connection) goes to
// the next replica. A replica that refuses the connection is skipped for that request, so stopping
// one replica never fails a request another could serve. Every response says which replica served
// it in `x-titanic-replica` (its 1-based position in the list), so tests can prove both do.
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
  },
});
const targets = (values.target ?? []).map(target => new URL(target));
if (!targets.length) {
  console.error(
    'usage: round-robin-proxy.mjs --listen PORT --target URL [--target URL ...]',
  );
  process.exit(2);
}

let next = 0;
/** The replicas to try for one request, starting at the next in turn. */
function rotation() {
  const start = next;
  next = (next + 1) % targets.length;
  return targets.map((_, i) => (start + i) % targets.length);
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
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
