import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/database/database-errors.js';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '08006' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('timeout exceeded when trying to connect')],
  ])('treats %o as an outage (503)', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value' }],
    [new Error('boom')],
    ['a string'],
    [null],
  ])('treats %o as a failure of its own', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
