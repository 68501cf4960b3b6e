import { DeliveryError, deliveryError } from '@internal/plugin-delivery-common';

/* GitHub's rate limits, as its answers announce them. */

export interface RateLimitInfo {
  kind: 'primary' | 'secondary';
  retryAt: number;
}

interface HttpErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Recognizes GitHub's primary (403/429 with x-ratelimit-remaining 0) and secondary limits. */
export function rateLimitOf(error: unknown, now: number): RateLimitInfo | null {
  const { status, message = '', response } = (error ?? {}) as HttpErrorLike;
  if (status !== 403 && status !== 429) {
    return null;
  }
  const headers = response?.headers ?? {};
  const header = (name: string) => {
    const value = headers[name];
    return value === undefined ? undefined : String(value);
  };
  const retryAfter = Number(header('retry-after'));
  if (header('x-ratelimit-remaining') === '0') {
    const reset = Number(header('x-ratelimit-reset'));
    return {
      kind: 'primary',
      retryAt:
        Number.isFinite(reset) && reset > 0 ? reset * 1000 : now + 60_000,
    };
  }
  if (
    status === 429 ||
    Number.isFinite(retryAfter) ||
    /secondary rate limit/i.test(message)
  ) {
    return {
      kind: 'secondary',
      retryAt: now + (Number.isFinite(retryAfter) ? retryAfter : 60) * 1000,
    };
  }
  return null;
}

/** 503 while GitHub rate-limits the portal, saying when to try again (`explain` gets the seconds). */
export function rateLimitedError(
  retryAt: number,
  now: number,
  explain: (retryAfterSeconds: number) => string,
): DeliveryError {
  const retryAfterSeconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
  return deliveryError('rate-limited', explain(retryAfterSeconds), {
    retryAt: new Date(retryAt).toISOString(),
    retryAfterSeconds,
  });
}
