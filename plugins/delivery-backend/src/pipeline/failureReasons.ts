import { GateReasonSource } from '@internal/plugin-delivery-common';

/*
 * Why a job failed, in one line a developer understands without opening the log. Each reader
 * knows one tool's real output format (gitleaks 8, vitest/istanbul and jest coverage
 * thresholds, vitest failures, trivy tables, checkov, SonarScanner's quality gate check).
 */

export interface FailureReason {
  reason: string;
  source: GateReasonSource;
}

export interface CheckAnnotation {
  annotation_level?: string | null;
  title?: string | null;
  message?: string | null;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z ?/;

/** Job log lines without GitHub's timestamps. */
export function logLines(log: string): string[] {
  return log.split(/\r?\n/).map(line => line.replace(TIMESTAMP, ''));
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function trimNumber(value: string): string {
  const number = Number(value);
  return Number.isFinite(number)
    ? String(Math.round(number * 100) / 100)
    : value;
}

export function gitleaksReason(lines: string[]): string | null {
  for (const line of lines) {
    const match = /leaks found:\s*(\d+)/i.exec(line);
    if (match) {
      return `${plural(Number(match[1]), 'secret')} found`;
    }
  }
  return null;
}

/** istanbul via vitest ("ERROR: Coverage for lines (64.28%) does not meet global threshold (70%)") or jest. */
export function coverageReason(lines: string[]): string | null {
  const misses = new Map<string, { actual: string; threshold: string }>();
  for (const line of lines) {
    const vitest =
      /Coverage for (lines|statements|functions|branches) \(([\d.]+)%\) does not meet (?:global )?threshold \(([\d.]+)%\)/i.exec(
        line,
      );
    if (vitest) {
      misses.set(vitest[1].toLowerCase(), {
        actual: vitest[2],
        threshold: vitest[3],
      });
      continue;
    }
    const jest =
      /coverage threshold for (lines|statements|functions|branches) \(([\d.]+)%\) not met: ([\d.]+)%/i.exec(
        line,
      );
    if (jest) {
      misses.set(jest[1].toLowerCase(), {
        actual: jest[3],
        threshold: jest[2],
      });
    }
  }
  if (misses.size === 0) {
    return null;
  }
  const [kind, miss] =
    (misses.has('lines') && (['lines', misses.get('lines')!] as const)) ||
    [...misses.entries()][0];
  const suffix = kind === 'lines' ? '' : ` (${kind})`;
  return `coverage ${trimNumber(miss.actual)}% < ${trimNumber(
    miss.threshold,
  )}%${suffix}`;
}

/** vitest's "FAIL  file > suite > test" lines and its "Tests  1 failed | 40 passed" summary. */
export function failedTestsReason(lines: string[]): string | null {
  const failed: string[] = [];
  let count: number | null = null;
  for (const line of lines) {
    const fail = /^\s*(?:FAIL|×|✗)\s+(\S+\.(?:test|spec)\.[jt]sx? > .+)$/.exec(
      line,
    );
    if (fail && !failed.includes(fail[1])) {
      failed.push(fail[1]);
    }
    const summary = /^\s*Tests\s+(\d+) failed/.exec(line);
    if (summary) {
      count = Number(summary[1]);
    }
  }
  if (failed.length === 0 && count === null) {
    return null;
  }
  const total = count ?? failed.length;
  const first = failed[0]?.split(' > ').slice(1).join(' > ');
  return first
    ? `${plural(total, 'test')} failed: ${first}${total > 1 ? ', …' : ''}`
    : `${plural(total, 'test')} failed`;
}

/** Sums trivy's per-target "Total: N (CRITICAL: x, HIGH: y)" lines. */
export function trivyReason(lines: string[]): string | null {
  const totals = new Map<string, number>();
  let found = false;
  for (const line of lines) {
    const match = /^Total: \d+ \(([^)]*)\)/.exec(line.trim());
    if (!match) continue;
    found = true;
    for (const part of match[1].split(',')) {
      const [severity, value] = part.split(':').map(s => s.trim());
      if (severity && value) {
        totals.set(severity, (totals.get(severity) ?? 0) + Number(value));
      }
    }
  }
  if (!found) {
    return null;
  }
  const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
  const parts = order
    .filter(severity => (totals.get(severity) ?? 0) > 0)
    .map(severity => `${totals.get(severity)} ${severity}`);
  if (parts.length === 0) {
    return null;
  }
  const count = order.reduce((sum, s) => sum + (totals.get(s) ?? 0), 0);
  const listed =
    parts.length > 1
      ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
      : parts[0];
  return `${listed} ${
    count === 1 ? 'vulnerability' : 'vulnerabilities'
  } in the image`;
}

/** checkov's "Failed checks: N" per framework and the failed check ids. */
export function checkovReason(lines: string[]): string | null {
  let failedChecks = 0;
  let found = false;
  const checks: string[] = [];
  for (const line of lines) {
    const summary = /Failed checks: (\d+)/.exec(line);
    if (summary) {
      found = true;
      failedChecks += Number(summary[1]);
    }
    const check = /^Check: (CKV\w*): "(.*)"/.exec(line.trim());
    if (check) {
      checks.push(`${check[1]} ${check[2]}`);
    }
  }
  if (!found || failedChecks === 0) {
    return null;
  }
  if (failedChecks === 1 && checks.length === 1) {
    return `1 failed IaC check: ${checks[0]}`;
  }
  const ids = [...new Set(checks.map(c => c.split(' ')[0]))];
  return `${plural(failedChecks, 'failed IaC check')}${
    ids.length
      ? ` (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`
      : ''
  }`;
}

/**
 * "Quality Gate failed: Coverage on New Code is 41.0% (required ≥ 80)" becomes
 * "quality gate ERROR: new coverage 41% (required ≥ 80%)".
 */
export function qualityGateReason(text: string): string | null {
  const failed = /Quality Gate failed:?\s*(.*)$/i.exec(text.trim());
  if (!failed) {
    return /QUALITY GATE STATUS: (FAILED|ERROR)/i.test(text)
      ? 'quality gate ERROR'
      : null;
  }
  const conditions = failed[1]
    .split(/;\s*/)
    .filter(Boolean)
    .map(condition => {
      const match =
        /^(.+?) is ([\d.]+)(%?) \(required ([^\d\s]+)\s*([\d.]+)\)$/.exec(
          condition,
        );
      if (!match) return condition;
      const [, metric, value, percent, comparator, threshold] = match;
      const onNewCode = /on New Code/i.test(metric);
      const name = metric.replace(/\s*on New Code/i, '').toLowerCase();
      return `${onNewCode ? 'new ' : ''}${name} ${trimNumber(
        value,
      )}${percent} (required ${comparator} ${threshold}${percent})`;
    });
  return conditions.length
    ? `quality gate ERROR: ${conditions.join(', ')}`
    : 'quality gate ERROR';
}

const GENERIC_ERROR = /^Process completed with exit code \d+\.?$/;

/** `##[error]` lines of the log, except the generic exit code line. */
function logErrors(lines: string[]): string[] {
  return lines
    .map(line => /##\[error\](.*)$/.exec(line)?.[1]?.trim())
    .filter((line): line is string => !!line && !GENERIC_ERROR.test(line));
}

/** The tool-specific readers, most specific first. */
const LOG_READERS: Array<(lines: string[]) => string | null> = [
  gitleaksReason,
  failedTestsReason,
  coverageReason,
  trivyReason,
  checkovReason,
  lines => {
    for (const line of lines) {
      const reason = qualityGateReason(line.replace(/^.*##\[error\]/, ''));
      if (reason && reason !== 'quality gate ERROR') return reason;
    }
    return lines.some(l => /QUALITY GATE STATUS: (FAILED|ERROR)/i.test(l))
      ? 'quality gate ERROR'
      : null;
  },
];

/** Reads a failure reason from a job log with the tool-specific readers, or null. */
export function reasonFromLog(log: string): string | null {
  const lines = logLines(log);
  for (const read of LOG_READERS) {
    const reason = read(lines);
    if (reason) return reason;
  }
  return null;
}

/** Reads a failure reason from check-run annotations (failure level first). */
export function reasonFromAnnotations(
  annotations: CheckAnnotation[],
): string | null {
  const meaningful = annotations
    .filter(
      a => a.annotation_level === 'failure' || a.annotation_level === 'warning',
    )
    .filter(a => a.message && !GENERIC_ERROR.test(a.message.trim()))
    .sort(
      (a, b) =>
        Number(b.annotation_level === 'failure') -
        Number(a.annotation_level === 'failure'),
    );
  for (const annotation of meaningful) {
    const message = annotation.message!.trim().split('\n')[0];
    const gate = qualityGateReason(message);
    if (gate) return gate;
    if (annotation.title && / > /.test(annotation.title)) {
      return `test failed: ${annotation.title
        .split(' > ')
        .slice(1)
        .join(' > ')} (${message})`;
    }
    return annotation.title ? `${annotation.title}: ${message}` : message;
  }
  return null;
}

/** The failed step, when nothing better is known. */
export function reasonFromSteps(
  steps: Array<{ name: string; conclusion?: string | null }> | undefined,
): string | null {
  const failed = steps?.find(step => step.conclusion === 'failure');
  return failed ? `step "${failed.name}" failed` : null;
}

export interface FailureEvidence {
  log?: string | null;
  annotations?: CheckAnnotation[];
  output?: { title?: string | null; summary?: string | null } | null;
  steps?: Array<{ name: string; conclusion?: string | null }>;
  conclusion?: string | null;
}

/**
 * The best one-line reason the evidence supports: a tool's own words from the log, then the
 * check run's annotations and output, then the log's error lines, then the failed step.
 */
export function explainFailure(evidence: FailureEvidence): FailureReason {
  const fromLog = evidence.log ? reasonFromLog(evidence.log) : null;
  if (fromLog) return { reason: fromLog, source: 'log' };
  const fromAnnotations = reasonFromAnnotations(evidence.annotations ?? []);
  if (fromAnnotations)
    return { reason: fromAnnotations, source: 'annotations' };
  const output = [evidence.output?.title, evidence.output?.summary]
    .filter(Boolean)
    .join(': ');
  if (output)
    return { reason: output.split('\n')[0], source: 'check-run-output' };
  const errors = evidence.log ? logErrors(logLines(evidence.log)) : [];
  if (errors.length) return { reason: errors[0], source: 'log' };
  const step = reasonFromSteps(evidence.steps);
  if (step) return { reason: step, source: 'conclusion' };
  const conclusion = evidence.conclusion ?? 'failure';
  return {
    reason:
      conclusion === 'timed_out' ? 'timed out' : `job ended with ${conclusion}`,
    source: 'conclusion',
  };
}
