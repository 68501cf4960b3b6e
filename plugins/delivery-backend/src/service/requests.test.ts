import {
  auditQuery,
  dashboardQuery,
  findingsFilterQuery,
  findingsPageQuery,
  parse,
  reviewAsked,
  reviewBody,
  rollbackAsked,
  rollbackBody,
  runParams,
  writeAttempt,
} from './requests';

const entity = { kind: 'component', namespace: 'default', name: 'x' };

describe('requests at the edge', () => {
  it('reads filters from comma-separated or repeated query values, open by default', () => {
    expect(
      parse(findingsFilterQuery, {
        severity: 'critical,HIGH',
        tool: ['Trivy', 'Checkov'],
      }),
    ).toEqual({
      tool: ['Trivy', 'Checkov'],
      severity: ['critical', 'high'],
      state: ['open'],
      source: undefined,
    });
    expect(() => parse(findingsFilterQuery, { state: 'closed' })).toThrow(
      /Unknown state closed/,
    );
  });

  it('answers 400 invalid-request with the first problem found', () => {
    expect(() => parse(runParams, { ...entity, runId: 'latest' })).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: '"latest" is not a workflow run id',
        details: { reason: 'invalid-request' },
      }),
    );
    expect(parse(runParams, { ...entity, runId: '42' }).runId).toBe(42);
  });

  it('holds counts between 1 and their maximum, with their defaults', () => {
    expect(parse(dashboardQuery, {})).toEqual({ runs: 10 });
    expect(parse(dashboardQuery, { runs: '500' })).toEqual({ runs: 50 });
    expect(parse(dashboardQuery, { runs: '0' })).toEqual({ runs: 1 });
    expect(() => parse(dashboardQuery, { runs: '-1' })).toThrow(
      'runs must be a whole number ≥ 0, not "-1"',
    );
    expect(parse(findingsPageQuery, { limit: '50' })).toEqual({
      offset: 0,
      limit: 50,
    });
  });

  it('reads an audit filter given once, at most 500 entries', () => {
    expect(parse(auditQuery, { environment: 'prod', action: '' })).toEqual({
      environment: 'prod',
      action: undefined,
      limit: 50,
      before: undefined,
    });
    expect(() => parse(auditQuery, { action: 'deploy' })).toThrow(
      'action must be one of approve, reject, rollback, not "deploy"',
    );
    expect(() => parse(auditQuery, { limit: '501' })).toThrow(
      'limit must be at most 500, not 501',
    );
    expect(() => parse(auditQuery, { environment: ['a', 'b'] })).toThrow(
      'environment must be given once',
    );
  });

  it('names unknown body fields before anything else, and trims texts', () => {
    expect(() =>
      parse(rollbackBody, { toRevision: 'five', force: true, now: 1 }),
    ).toThrow(
      'Unknown fields force, now; allowed: toRevision, expectedCurrentRevision, reason',
    );
    expect(() => parse(rollbackBody, [])).toThrow(
      'The request body must be a JSON object',
    );
    expect(parse(rollbackBody, undefined)).toEqual({});
    expect(
      parse(reviewBody, { decision: 'reject', comment: '  freeze week ' }),
    ).toEqual({ decision: 'reject', comment: 'freeze week' });
    expect(() =>
      parse(reviewBody, { decision: 'approve', comment: 'x'.repeat(1001) }),
    ).toThrow('comment must be at most 1000 characters (got 1001)');
    expect(() =>
      parse(reviewBody, { decision: 'approve', environments: [] }),
    ).toThrow('environments must be a non-empty list of environment names');
  });

  it('lets the audit say what an invalid write asked, and validates it only when asked to', () => {
    const review = writeAttempt(reviewAsked, reviewBody, {
      decision: 'yes',
      environments: ['prod', 3],
      comment: 'y'.repeat(1200),
    });
    expect(review.asked).toEqual({
      decision: 'yes',
      environments: ['prod'],
      comment: 'y'.repeat(1000),
    });
    expect(() => review.validated()).toThrow(
      'decision must be "approve" or "reject", not "yes"',
    );
    expect(writeAttempt(rollbackAsked, rollbackBody, 'nonsense').asked).toEqual(
      {},
    );
    expect(
      writeAttempt(rollbackAsked, rollbackBody, { toRevision: 2.5 }).asked,
    ).toEqual({ toRevision: 2.5 });
  });
});
