import { DashboardResponse } from '@internal/plugin-delivery-common';
import request from 'supertest';
import {
  DeliveryBackend,
  apiPath,
  startDeliveryBackend,
} from '../__testUtils__/startDeliveryBackend';

jest.setTimeout(90_000);

/*
 * The dashboard end to end over real HTTP: what one entity page costs GitHub, and what it shows
 * while GitHub rate-limits the portal.
 */

describe('delivery API on the seeded titanic-service world', () => {
  it('costs about one GitHub call per view over ten dashboard views', async () => {
    const fresh = await startDeliveryBackend();
    try {
      fresh.resetCounts();
      const perView: number[] = [];
      for (let view = 0; view < 10; view++) {
        const before = fresh.githubCalls().api;
        const response = await request(fresh.backend.server).get(
          apiPath('dashboard'),
        );
        expect(response.status).toBe(200);
        perView.push(fresh.githubCalls().api - before);
      }
      // The first view fills the cache; the next nine cost nothing.
      expect(perView[0]).toBeLessThanOrEqual(10);
      expect(perView.slice(1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(fresh.githubCalls().api / 10).toBeLessThanOrEqual(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('when GitHub rate-limits the portal', () => {
  let portal: DeliveryBackend;

  beforeAll(async () => {
    // Nothing is fresh: every view asks GitHub, so the rate limit shows at once.
    portal = await startDeliveryBackend({ freshSeconds: 0 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  beforeEach(() => portal.sandbox.github.rateLimit.reset());

  it('serves the last dashboard with its age and says it is stale', async () => {
    const before = await request(portal.backend.server).get(
      apiPath('dashboard'),
    );
    expect(before.body.freshness.stale).toBe(false);
    portal.sandbox.github.rateLimit.exhaustPrimary({ resetInSeconds: 900 });
    await new Promise(resolve => setTimeout(resolve, 1100));
    const during = await request(portal.backend.server).get(
      apiPath('dashboard'),
    );
    expect(during.status).toBe(200);
    const body = during.body as DashboardResponse;
    expect(body.latestRun).toEqual(
      (before.body as DashboardResponse).latestRun,
    );
    expect(body.freshness.stale).toBe(true);
    expect(body.freshness.ageSeconds).toBeGreaterThanOrEqual(1);
    const github = body.freshness.sources.find(s => s.source === 'github')!;
    expect(github.staleReason).toMatch(
      /^GitHub rate limit reached; showing data from \d+ s ago$/,
    );
    expect(Date.parse(github.retryAt!)).toBeGreaterThan(Date.now() + 800_000);
  });

  it('answers 503 with the reason when nothing was cached yet', async () => {
    portal.sandbox.github.rateLimit.triggerSecondary({
      status: 429,
      retryAfterSeconds: 120,
    });
    const fresh = await startDeliveryBackend({ sandbox: portal.sandbox });
    try {
      const response = await request(fresh.backend.server).get(apiPath('runs'));
      expect(response.status).toBe(503);
      expect(response.body.error.name).toBe('ServiceUnavailableError');
      expect(response.body.error.details).toMatchObject({
        reason: 'rate-limited',
        retryAfterSeconds: expect.any(Number),
      });
    } finally {
      await fresh.close();
    }
  });
});
