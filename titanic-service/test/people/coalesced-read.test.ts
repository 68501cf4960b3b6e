import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CoalescedRead } from '../../src/people/coalesced-read.js';

/** A query whose runs are released by hand, numbered in the order they were sent. */
function controlledQuery() {
  const runs: Array<{ resolve: (value: number) => void; reject: (error: Error) => void }> = [];
  const query = () =>
    new Promise<number>((resolve, reject) => {
      runs.push({ resolve, reject });
    });
  return { runs, query };
}

describe('CoalescedRead', () => {
  it('shares one read among callers of the same turn, sent after all of them asked', async () => {
    const { runs, query } = controlledQuery();
    const reads = new CoalescedRead(query);
    const first = reads.read();
    const second = reads.read();
    expect(runs).toHaveLength(0); // not sent yet, so both may join it
    await nextTurn();
    expect(runs).toHaveLength(1);
    runs[0]!.resolve(1);
    expect(await first).toBe(1);
    expect(await second).toBe(1);
  });

  it('never lets a caller join a read that was already sent', async () => {
    const { runs, query } = controlledQuery();
    const reads = new CoalescedRead(query);
    const early = reads.read();
    await nextTurn();
    expect(runs).toHaveLength(1);
    const late = reads.read(); // arrives while run 0 is in flight
    await nextTurn();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve(2);
    runs[0]!.resolve(1);
    expect(await early).toBe(1);
    expect(await late).toBe(2);
  });

  it('queues reads beyond the in-flight limit and sends them as earlier ones finish', async () => {
    const { runs, query } = controlledQuery();
    const reads = new CoalescedRead(query, 1);
    const first = reads.read();
    await nextTurn();
    const second = reads.read();
    const third = reads.read();
    await nextTurn();
    expect(runs).toHaveLength(1);
    runs[0]!.reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await nextTurn();
    expect(runs).toHaveLength(2);
    runs[1]!.resolve(7);
    expect(await second).toBe(7);
    expect(await third).toBe(7);
  });
});
