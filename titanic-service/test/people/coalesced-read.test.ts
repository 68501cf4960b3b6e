import { describe, expect, it } from 'vitest';
import { CoalescedRead } from '../../src/people/coalesced-read.js';

/** A query whose runs are released by hand, numbered in the order they started. */
function controlledQuery() {
  const runs: Array<{ resolve: (value: number) => void; reject: (error: Error) => void }> = [];
  const query = () =>
    new Promise<number>((resolve, reject) => {
      runs.push({ resolve, reject });
    });
  return { runs, query };
}

describe('CoalescedRead', () => {
  it('shares one read among callers that arrive before it starts, never an earlier one', async () => {
    const { runs, query } = controlledQuery();
    const reads = new CoalescedRead(query);
    const first = reads.read(); // starts run 0
    const second = reads.read(); // run 0 is in flight: waits for run 1
    const third = reads.read(); // joins run 1
    expect(runs).toHaveLength(1);
    runs[0]!.resolve(0);
    expect(await first).toBe(0);
    await Promise.resolve();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve(1);
    expect(await second).toBe(1);
    expect(await third).toBe(1);
  });

  it('starts the next read even when the one in flight fails, and reports each failure', async () => {
    const { runs, query } = controlledQuery();
    const reads = new CoalescedRead(query);
    const first = reads.read();
    const second = reads.read();
    runs[0]!.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await Promise.resolve();
    runs[1]!.resolve(7);
    expect(await second).toBe(7);
    const third = reads.read();
    expect(runs).toHaveLength(3);
    runs[2]!.resolve(8);
    expect(await third).toBe(8);
  });
});
