/* Load shared by the delivery benchmarks: concurrent viewers, each viewing in a loop. */

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

/** Percentiles of latency samples in ms, to 0.1 ms (nearest-rank). */
export function percentiles(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]),
    count: sorted.length,
  };
}

/** `viewers` concurrent loops, each doing `views` sequential views; latencies and views per second. */
export async function load(
  viewers: number,
  views: number,
  view: () => Promise<void>,
): Promise<Latencies & { throughputPerSecond: number }> {
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: viewers }, async () => {
      for (let i = 0; i < views; i++) {
        const t0 = performance.now();
        await view();
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ...percentiles(samples),
    throughputPerSecond: Math.round(samples.length / seconds),
  };
}

/**
 * `viewers` concurrent loops until `until` (epoch ms), each visiting and then thinking for
 * `thinkMs()`: an open period of browsing rather than a fixed number of views. `visit` records its
 * own latencies (a page is several requests); answers how many visits were made.
 */
export async function browseUntil(
  viewers: number,
  until: number,
  visit: () => Promise<void>,
  thinkMs: () => number,
): Promise<number> {
  let visits = 0;
  await Promise.all(
    Array.from({ length: viewers }, async () => {
      while (Date.now() < until) {
        await visit();
        visits += 1;
        const pause = Math.min(thinkMs(), until - Date.now());
        if (pause > 0) await new Promise(resolve => setTimeout(resolve, pause));
      }
    }),
  );
  return visits;
}
