#!/usr/bin/env node
// Benchmark of the production profile's replicas (`yarn bench:replicas`): starts
// `scripts/portal --production` (PostgreSQL, Redis, two replicas behind the round-robin proxy), and
// prints, from one run:
//   - start-up to ready per replica (its process started → its readiness endpoint answers 200);
//   - memory (RSS) per replica when idle and under load;
//   - the delivery API's p50/p95 through the proxy and against one replica alone, with the same
//     concurrent viewers, interleaved rounds so that the machine's noise falls on both alike.
// A signed-in person's token comes from the sandbox GitHub's OAuth flow, as a browser gets it.
//
//   node scripts/bench-replicas.mjs [--viewers 20] [--seconds 20] [--rounds 3]
// Needs ports 7007, 7011, 7012 and 7080-7082 free.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    viewers: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
  },
});
const VIEWERS = Number(values.viewers);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const PROXY = 'http://localhost:7007';
const REPLICAS = ['http://127.0.0.1:7011', 'http://127.0.0.1:7012'];
const GITHUB = 'http://localhost:7080';
const ENTITY = '/api/delivery/entities/Component/default/titanic-service';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const ready = url =>
  fetch(`${url}/.backstage/health/v1/readiness`).then(r => r.status === 200);

/** The process listening on a port, and its resident memory. */
function rssOf(port) {
  const listing = execFileSync('ss', ['-ltnpH', `sport = :${port}`], {
    encoding: 'utf8',
  });
  const pid = /pid=(\d+)/.exec(listing)?.[1];
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** Signs `login` in through the sandbox GitHub's OAuth flow, as the browser's popup does. */
async function signIn(login) {
  const start = await fetch(
    `${PROXY}/api/auth/github/start?env=production&scope=read:user&origin=${encodeURIComponent(
      PROXY,
    )}&flow=popup`,
    { redirect: 'manual' },
  );
  const cookie = start.headers
    .getSetCookie()
    .filter(c => !/;\s*Max-Age=0(;|$)/i.test(c))
    .map(c => c.split(';')[0])
    .join('; ');
  const authorize = new URL(start.headers.get('location'));
  const chosen = await fetch(`${GITHUB}/login/oauth/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: authorize.searchParams.get('client_id'),
      redirect_uri: authorize.searchParams.get('redirect_uri'),
      state: authorize.searchParams.get('state'),
      login,
    }),
    redirect: 'manual',
  });
  const page = await fetch(chosen.headers.get('location'), {
    headers: { cookie },
  });
  const encoded = /decodeURIComponent\('([^']*)'\)/.exec(await page.text())[1];
  const message = JSON.parse(decodeURIComponent(encoded));
  if (!message.response)
    throw new Error(`sign-in failed: ${JSON.stringify(message.error)}`);
  return `Bearer ${message.response.backstageIdentity.token}`;
}

/** `VIEWERS` loops reading the delivery API for `SECONDS`; latencies in ms. */
async function load(base, authorization) {
  const latencies = [];
  let errors = 0;
  const until = Date.now() + SECONDS * 1000;
  const paths = [
    `${ENTITY}/dashboard?runs=10`,
    `${ENTITY}/environments`,
    `${ENTITY}/findings?limit=50`,
  ];
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, viewer) => {
      for (let i = viewer; Date.now() < until; i++) {
        const started = performance.now();
        const response = await fetch(`${base}${paths[i % paths.length]}`, {
          headers: { authorization },
        }).catch(() => null);
        if (response) await response.arrayBuffer();
        if (!response || response.status !== 200) errors += 1;
        else latencies.push(performance.now() - started);
      }
    }),
  );
  return { latencies, errors };
}

const percentile = (sorted, q) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
    : NaN;

async function main() {
  fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
  const portal = spawn('scripts/portal', ['--production'], {
    cwd: root,
    stdio: [
      'ignore',
      fs.openSync(
        path.join(root, 'test-results/bench-replicas-portal.log'),
        'w',
      ),
      'inherit',
    ],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-portal.pid, 'SIGTERM');
    } catch {}
  };
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));
  try {
    const readyAt = [];
    await Promise.all(
      REPLICAS.map(async (url, i) => {
        await until(`replica ${i + 1}`, () => ready(url), 600_000);
        readyAt[i] = (Date.now() - processStartedAt(7011 + i)) / 1000;
      }),
    );
    await until('the proxy', () => ready(PROXY), 60_000);
    // Org ingestion (alice can sign in) and the catalog (titanic-service) settle first.
    let authorization = '';
    await until(
      'alice to be able to sign in',
      async () => Boolean((authorization = await signIn('alice'))),
      180_000,
    );
    await until(
      'titanic-service in the catalog',
      async () =>
        (
          await fetch(
            `${PROXY}/api/catalog/entities/by-name/component/default/titanic-service`,
            {
              headers: { authorization },
            },
          )
        ).status === 200,
      180_000,
    );
    // One warm-up pass, so both measurements start from the same caches.
    await load(PROXY, authorization);
    const idle = REPLICAS.map((_, i) => rssOf(7011 + i));

    const results = { proxy: [], single: [] };
    const errors = { proxy: 0, single: 0 };
    let loaded = [0, 0];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, base] of [
        ['proxy', PROXY],
        ['single', REPLICAS[0]],
      ]) {
        const sampling = setInterval(() => {
          loaded = loaded.map((max, i) => Math.max(max, rssOf(7011 + i)));
        }, 1000);
        const { latencies, errors: failed } = await load(base, authorization);
        clearInterval(sampling);
        results[name].push(...latencies);
        errors[name] += failed;
      }
    }
    const summary = name => {
      const sorted = [...results[name]].sort((a, b) => a - b);
      return {
        n: sorted.length,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
      };
    };
    const proxy = summary('proxy');
    const single = summary('single');
    const mb = value => `${value.toFixed(0)} MB`;
    console.log(
      `start-up to ready: ${readyAt
        .map((s, i) => `replica ${i + 1} ${s.toFixed(1)} s`)
        .join(', ')} (replica 2 starts once replica 1 is ready)`,
    );
    console.log(
      `memory idle: ${idle
        .map((v, i) => `replica ${i + 1} ${mb(v)}`)
        .join(', ')}`,
    );
    console.log(
      `memory under load (max RSS): ${loaded
        .map((v, i) => `replica ${i + 1} ${mb(v)}`)
        .join(', ')}`,
    );
    console.log(
      `delivery API, ${VIEWERS} viewers, ${ROUNDS}×${SECONDS} s each, interleaved: ` +
        `proxy (2 replicas) n=${proxy.n} p50=${proxy.p50.toFixed(
          0,
        )} ms p95=${proxy.p95.toFixed(0)} ms errors=${errors.proxy}; ` +
        `one replica n=${single.n} p50=${single.p50.toFixed(
          0,
        )} ms p95=${single.p95.toFixed(0)} ms errors=${errors.single}; ` +
        `p95 ratio proxy/single=${(proxy.p95 / single.p95).toFixed(2)}`,
    );
  } finally {
    stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
