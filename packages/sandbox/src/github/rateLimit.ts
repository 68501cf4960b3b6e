/*
 * GitHub's primary rate limit (per token, x-ratelimit-* headers, 403 with remaining 0 once
 * exhausted) and switches that simulate the secondary rate limit (403 or 429 with Retry-After).
 */

export interface RateLimitWindow {
  limit: number;
  used: number;
  resetAt: number;
}

export interface SecondaryLimitSwitch {
  status: 403 | 429;
  retryAfterSeconds: number;
  /** How many requests it answers before lifting; Infinity until `clear()`. */
  remainingRequests: number;
}

export interface RateLimitControl {
  /** Exhausts the primary limit of every token until `reset()` (or the window resets). */
  exhaustPrimary(options?: { resetInSeconds?: number }): void;
  /** Answers the next requests with a secondary rate limit error. */
  triggerSecondary(options?: {
    status?: 403 | 429;
    retryAfterSeconds?: number;
    requests?: number;
  }): void;
  /** Sets the hourly limit (default 5000 for tokens, 60 unauthenticated). */
  setLimit(limit: number): void;
  /** Back to a fresh window without switches. */
  reset(): void;
  status(): {
    limit: number;
    primaryExhausted: boolean;
    secondary: SecondaryLimitSwitch | null;
  };
}

const WINDOW_MS = 3600_000;

export class RateLimiter implements RateLimitControl {
  private windows = new Map<string, RateLimitWindow>();
  private limit = 5000;
  private exhaustedUntil: number | null = null;
  private secondary: SecondaryLimitSwitch | null = null;

  window(key: string, now: number, authenticated: boolean): RateLimitWindow {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = {
        limit: authenticated ? this.limit : 60,
        used: 0,
        resetAt: now + WINDOW_MS,
      };
      this.windows.set(key, window);
    }
    if (this.exhaustedUntil !== null) {
      if (this.exhaustedUntil <= now) {
        this.exhaustedUntil = null;
      } else {
        window.used = window.limit;
        window.resetAt = this.exhaustedUntil;
      }
    }
    return window;
  }

  headers(window: RateLimitWindow): Record<string, string> {
    return {
      'x-ratelimit-limit': String(window.limit),
      'x-ratelimit-remaining': String(Math.max(0, window.limit - window.used)),
      'x-ratelimit-reset': String(Math.ceil(window.resetAt / 1000)),
      'x-ratelimit-used': String(window.used),
      'x-ratelimit-resource': 'core',
    };
  }

  /** Consumes the secondary switch for one request, returning it when it applies. */
  takeSecondary(): SecondaryLimitSwitch | null {
    if (!this.secondary) return null;
    const current = this.secondary;
    current.remainingRequests -= 1;
    if (current.remainingRequests <= 0) this.secondary = null;
    return current;
  }

  exhaustPrimary(options: { resetInSeconds?: number } = {}): void {
    this.exhaustedUntil = Date.now() + (options.resetInSeconds ?? 3600) * 1000;
  }

  triggerSecondary(
    options: {
      status?: 403 | 429;
      retryAfterSeconds?: number;
      requests?: number;
    } = {},
  ): void {
    this.secondary = {
      status: options.status ?? 403,
      retryAfterSeconds: options.retryAfterSeconds ?? 60,
      remainingRequests: options.requests ?? Number.POSITIVE_INFINITY,
    };
  }

  setLimit(limit: number): void {
    this.limit = limit;
    for (const window of this.windows.values()) window.limit = limit;
  }

  reset(): void {
    this.windows.clear();
    this.exhaustedUntil = null;
    this.secondary = null;
  }

  status() {
    return {
      limit: this.limit,
      primaryExhausted:
        this.exhaustedUntil !== null && this.exhaustedUntil > Date.now(),
      secondary: this.secondary
        ? {
            ...this.secondary,
            remainingRequests: Number.isFinite(this.secondary.remainingRequests)
              ? this.secondary.remainingRequests
              : -1,
          }
        : null,
    };
  }
}
