import {
  checkovReason,
  coverageReason,
  explainFailure,
  failedTestsReason,
  gitleaksReason,
  logLines,
  qualityGateReason,
  reasonFromAnnotations,
  trivyReason,
} from './failureReasons';

const log = (...lines: string[]) =>
  lines
    .map(
      (line, i) =>
        `2026-11-17T09:41:${String(10 + i).padStart(2, '0')}.1234567Z ${line}`,
    )
    .join('\n');

describe('failure reasons from the tools’ own output', () => {
  it('counts gitleaks leaks as secrets found', () => {
    expect(
      gitleaksReason(
        logLines(
          log('10:31AM INF 1 commits scanned.', '10:31AM WRN leaks found: 2'),
        ),
      ),
    ).toBe('2 secrets found');
    expect(gitleaksReason(['11:30AM WRN leaks found: 1'])).toBe(
      '1 secret found',
    );
    expect(gitleaksReason(['11:30AM INF no leaks found'])).toBeNull();
  });

  it('reads the line coverage threshold miss from istanbul via vitest', () => {
    const lines = logLines(
      log(
        'ERROR: Coverage for lines (64.28%) does not meet global threshold (70%)',
        'ERROR: Coverage for branches (52.94%) does not meet global threshold (70%)',
      ),
    );
    expect(coverageReason(lines)).toBe('coverage 64.28% < 70%');
  });

  it('reads jest’s coverage threshold message too, naming the kind when it is not lines', () => {
    expect(
      coverageReason([
        'Jest: "global" coverage threshold for branches (80%) not met: 61.5%',
      ]),
    ).toBe('coverage 61.5% < 80% (branches)');
  });

  it('names the first failed vitest test and how many failed', () => {
    const lines = logLines(
      log(
        ' FAIL  test/plugins/database.test.ts > database pool > retries the first connection while PostgreSQL starts',
        ' Test Files  1 failed | 5 passed (6)',
        '      Tests  1 failed | 40 passed (41)',
      ),
    );
    expect(failedTestsReason(lines)).toBe(
      '1 test failed: database pool > retries the first connection while PostgreSQL starts',
    );
  });

  it('sums trivy’s per-target totals into the image’s vulnerabilities', () => {
    const lines = [
      'Total: 2 (CRITICAL: 1, HIGH: 1)',
      '',
      'Total: 5 (CRITICAL: 1, HIGH: 4)',
    ];
    expect(trivyReason(lines)).toBe(
      '2 CRITICAL and 5 HIGH vulnerabilities in the image',
    );
    expect(trivyReason(['Total: 3 (CRITICAL: 3, HIGH: 0)'])).toBe(
      '3 CRITICAL vulnerabilities in the image',
    );
    expect(trivyReason(['Total: 0 (CRITICAL: 0, HIGH: 0)'])).toBeNull();
  });

  it('names a single failed checkov check and counts several', () => {
    const one = [
      'kubernetes scan results:',
      'Passed checks: 88, Failed checks: 1, Skipped checks: 0',
      'Check: CKV_K8S_23: "Minimize the admission of root containers"',
      'terraform scan results:',
      'Passed checks: 129, Failed checks: 0, Skipped checks: 0',
    ];
    expect(checkovReason(one)).toBe(
      '1 failed IaC check: CKV_K8S_23 Minimize the admission of root containers',
    );
    const two = [
      'Passed checks: 80, Failed checks: 2, Skipped checks: 0',
      'Check: CKV_K8S_28: "Minimize the admission of containers with the NET_RAW capability"',
      'Check: CKV_K8S_37: "Minimize the admission of containers with capabilities assigned"',
    ];
    expect(checkovReason(two)).toBe(
      '2 failed IaC checks (CKV_K8S_28, CKV_K8S_37)',
    );
  });

  it('shortens SonarScanner’s quality gate failure to the failing conditions', () => {
    expect(
      qualityGateReason(
        'Quality Gate failed: Coverage on New Code is 41.0% (required ≥ 80)',
      ),
    ).toBe('quality gate ERROR: new coverage 41% (required ≥ 80%)');
    expect(
      qualityGateReason('ERROR QUALITY GATE STATUS: FAILED - View details'),
    ).toBe('quality gate ERROR');
  });
});

describe('explainFailure', () => {
  it('prefers the tool’s words in the log over generic annotations', () => {
    expect(
      explainFailure({
        log: log(
          '11:30AM WRN leaks found: 2',
          '##[error]Process completed with exit code 2.',
        ),
        annotations: [
          {
            annotation_level: 'failure',
            message: 'Process completed with exit code 2.',
          },
        ],
      }),
    ).toEqual({ reason: '2 secrets found', source: 'log' });
  });

  it('falls back to annotations, skipping the generic exit code line', () => {
    expect(
      reasonFromAnnotations([
        {
          annotation_level: 'failure',
          message: 'Process completed with exit code 3.',
        },
        {
          annotation_level: 'failure',
          message:
            'Quality Gate failed: Coverage on New Code is 41.0% (required ≥ 80)',
        },
      ]),
    ).toBe('quality gate ERROR: new coverage 41% (required ≥ 80%)');
    expect(
      explainFailure({
        log: null,
        annotations: [
          {
            annotation_level: 'failure',
            title: 'test/app.test.ts > people > lists people',
            message: 'AssertionError: expected 200 to be 500',
          },
        ],
      }),
    ).toEqual({
      reason:
        'test failed: people > lists people (AssertionError: expected 200 to be 500)',
      source: 'annotations',
    });
  });

  it('uses the check run’s output, then the log’s error lines, then the failed step', () => {
    expect(
      explainFailure({
        output: { title: 'Deployment stalled', summary: null },
      }),
    ).toEqual({
      reason: 'Deployment stalled',
      source: 'check-run-output',
    });
    expect(
      explainFailure({
        log: log(
          '##[error]deployment "titanic-service" exceeded its progress deadline',
          '##[error]Process completed with exit code 1.',
        ),
      }),
    ).toEqual({
      reason: 'deployment "titanic-service" exceeded its progress deadline',
      source: 'log',
    });
    expect(
      explainFailure({
        steps: [
          { name: 'Set image', conclusion: 'success' },
          { name: 'Wait for rollout', conclusion: 'failure' },
        ],
      }),
    ).toEqual({
      reason: 'step "Wait for rollout" failed',
      source: 'conclusion',
    });
    expect(explainFailure({ conclusion: 'timed_out' })).toEqual({
      reason: 'timed out',
      source: 'conclusion',
    });
  });
});
