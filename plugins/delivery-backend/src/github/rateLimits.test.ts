import { rateLimitOf } from './rateLimits';

describe('rate limit recognition', () => {
  const now = 1_000_000;
  it('tells primary from secondary limits and other 403s', () => {
    expect(
      rateLimitOf(
        {
          status: 403,
          response: {
            headers: {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': '2000',
            },
          },
        },
        now,
      ),
    ).toEqual({ kind: 'primary', retryAt: 2_000_000 });
    expect(
      rateLimitOf({ status: 429, response: { headers: {} } }, now),
    ).toEqual({
      kind: 'secondary',
      retryAt: now + 60_000,
    });
    expect(
      rateLimitOf(
        {
          status: 403,
          message: 'You have exceeded a secondary rate limit',
          response: { headers: { 'x-ratelimit-remaining': '4000' } },
        },
        now,
      ),
    ).toMatchObject({ kind: 'secondary' });
    expect(
      rateLimitOf(
        {
          status: 403,
          message: 'Resource not accessible by integration',
          response: { headers: { 'x-ratelimit-remaining': '4000' } },
        },
        now,
      ),
    ).toBeNull();
  });
});
