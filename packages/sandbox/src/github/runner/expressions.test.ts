import {
  ExpressionScope,
  condition,
  evaluate,
  interpolate,
  interpolateValue,
} from './expressions';

function scope(
  status: ExpressionScope['status'] = 'success',
  files: string[] = [],
): ExpressionScope {
  return {
    status,
    contexts: {
      github: { event_name: 'push', ref: 'refs/heads/main', sha: 'abc' },
      env: { SERVICE_DIR: 'orders', IMAGE_NAME: 'ghcr.io/acme-corp/orders' },
      needs: {
        build: {
          result: 'success',
          outputs: { 'image-ref': 'ghcr.io/acme-corp/orders:sha-1a2b3c4' },
        },
      },
      steps: { previous: { outputs: { revision: '' } } },
      inputs: { 'ignore-unfixed': true },
    },
    hashFiles: patterns =>
      patterns.some(p => files.includes(p)) ? 'f00d' : '',
  };
}

describe('GitHub Actions expressions', () => {
  it('reads contexts, compares strings case-insensitively and combines with && and ||', () => {
    expect(
      evaluate(
        "github.event_name == 'push' && github.ref == 'refs/heads/MAIN'",
        scope(),
      ),
    ).toBe(true);
    expect(evaluate("github.ref == 'refs/heads/develop'", scope())).toBe(false);
    expect(evaluate("github.missing || 'fallback'", scope())).toBe('fallback');
    expect(evaluate("needs['build'].outputs['image-ref']", scope())).toBe(
      'ghcr.io/acme-corp/orders:sha-1a2b3c4',
    );
    expect(evaluate('!inputs.ignore-unfixed', scope())).toBe(false);
  });

  it('interpolates ${{ }} in text and keeps the type of a lone expression', () => {
    expect(
      interpolate('Deploy ${{ needs.build.outputs.image-ref }}', scope()),
    ).toBe('Deploy ghcr.io/acme-corp/orders:sha-1a2b3c4');
    expect(
      interpolate('${{ env.SERVICE_DIR }}/package-lock.json', scope()),
    ).toBe('orders/package-lock.json');
    expect(interpolateValue('${{ inputs.ignore-unfixed }}', scope())).toBe(
      true,
    );
  });

  it('treats a condition without a status function as success() && …', () => {
    expect(condition("github.event_name == 'push'", scope('failure'))).toBe(
      false,
    );
    expect(condition(undefined, scope('success'))).toBe(true);
    expect(condition(undefined, scope('skipped'))).toBe(false);
    expect(
      condition(
        "always() && hashFiles('gitleaks.sarif') != ''",
        scope('failure', ['gitleaks.sarif']),
      ),
    ).toBe(true);
    expect(
      condition(
        "always() && hashFiles('gitleaks.sarif') != ''",
        scope('failure', []),
      ),
    ).toBe(false);
    expect(
      condition(
        "failure() && steps.previous.outputs.revision != ''",
        scope('failure'),
      ),
    ).toBe(false);
    expect(condition('${{ cancelled() }}', scope('cancelled'))).toBe(true);
  });

  it('calls the functions workflows use', () => {
    expect(evaluate("contains('develop main', 'MAIN')", scope())).toBe(true);
    expect(evaluate("startsWith(github.ref, 'refs/heads/')", scope())).toBe(
      true,
    );
    expect(evaluate("format('{0}-{1}', 'orders', 'prod')", scope())).toBe(
      'orders-prod',
    );
    expect(evaluate("fromJSON('[1,2]')[1]", scope())).toBe(2);
    expect(() => evaluate('nosuch()', scope())).toThrow(/Unknown function/);
  });
});
