import {
  CheckovFinding,
  CoverageSummary,
  SecretFinding,
  SonarCondition,
  Vulnerability,
} from './records';
import { gateBlockingVulnerabilities } from './trivyFindings';

/*
 * Console output of the real tools, as it appears in the GitHub Actions job log. Formats follow
 * gitleaks 8, checkov 3, vitest 3 with istanbul coverage, trivy 0.5x tables and SonarScanner CLI.
 */

function clock(iso: string): string {
  // gitleaks (zerolog console writer) prints a kitchen clock: 10:31AM
  const date = new Date(iso);
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${hours % 12 === 0 ? 12 : hours % 12}:${minutes}${
    hours < 12 ? 'AM' : 'PM'
  }`;
}

export function gitleaksOutput(options: {
  at: string;
  commitSha: string;
  commitAuthor: string;
  commitDate: string;
  leaks: readonly SecretFinding[];
  commitsScanned: number;
}): string[] {
  const lines = [
    '',
    '    ○',
    '    │╲',
    '    │ ○',
    '    ○ ░',
    '    ░    gitleaks',
    '',
  ];
  for (const leak of options.leaks) {
    lines.push(
      `Finding:     ${leak.linePrefix}REDACTED${leak.lineSuffix}`,
      'Secret:      REDACTED',
      `RuleID:      ${leak.ruleId}`,
      `Entropy:     ${leak.entropy.toFixed(6)}`,
      `File:        ${leak.path}`,
      `Line:        ${leak.line}`,
      `Commit:      ${options.commitSha}`,
      `Author:      ${options.commitAuthor}`,
      `Email:       ${options.commitAuthor}@acme-corp.example`,
      `Date:        ${options.commitDate}`,
      `Fingerprint: ${options.commitSha}:${leak.path}:${leak.ruleId}:${leak.line}`,
      '',
    );
  }
  const time = clock(options.at);
  lines.push(
    `${time} INF ${options.commitsScanned} commits scanned.`,
    `${time} INF scanned ~${18234 + options.commitsScanned * 911} bytes (${(
      (18234 + options.commitsScanned * 911) /
      1000
    ).toFixed(2)} KB) in 112ms`,
  );
  if (options.leaks.length > 0) {
    lines.push(`${time} WRN leaks found: ${options.leaks.length}`);
  } else {
    lines.push(`${time} INF no leaks found`);
  }
  return lines;
}

/** Checkov's report of one framework: the counts, then each failed check where it failed. */
export function checkovScanResults(
  framework: string,
  passed: number,
  skipped: number,
  failures: readonly CheckovFinding[],
): string[] {
  const lines = [
    `${framework} scan results:`,
    '',
    `Passed checks: ${passed}, Failed checks: ${failures.length}, Skipped checks: ${skipped}`,
    '',
  ];
  for (const failure of failures) {
    lines.push(
      `Check: ${failure.checkId}: "${failure.name}"`,
      `\tFAILED for resource: ${failure.resource}`,
      `\tFile: /${failure.path}:${failure.startLine}-${failure.endLine}`,
      `\tGuide: ${failure.guide}`,
      '',
    );
  }
  return lines;
}

export function checkovOutput(options: {
  passed: number;
  failures: readonly CheckovFinding[];
}): string[] {
  const byFramework = new Map<string, CheckovFinding[]>();
  for (const failure of options.failures) {
    const framework = failure.path.endsWith('.tf') ? 'terraform' : 'kubernetes';
    byFramework.set(framework, [
      ...(byFramework.get(framework) ?? []),
      failure,
    ]);
  }
  const lines = [
    '',
    '       _               _',
    '   ___| |__   ___  ___| | _______   __',
    "  / __| '_ \\ / _ \\/ __| |/ / _ \\ \\ / /",
    ' | (__| | | |  __/ (__|   < (_) \\ V /',
    '  \\___|_| |_|\\___|\\___|_|\\_\\___/ \\_/',
    '',
    'By Prisma Cloud | version: 3.2.334 ',
    '',
  ];
  for (const framework of ['kubernetes', 'terraform']) {
    const failures = byFramework.get(framework) ?? [];
    const passed =
      framework === 'kubernetes' ? options.passed : options.passed * 2 + 7;
    lines.push(...checkovScanResults(framework, passed, 0, failures));
  }
  return lines;
}

const COVERAGE_FILES: ReadonlyArray<[string, number, string]> = [
  [' src', 1.0, ''],
  ['  app.ts', 1.12, ''],
  ['  server.ts', 0.0, '1-38'],
  [' src/plugins', 1.0, ''],
  ['  database.ts', 1.15, '41-47'],
  ['  metrics.ts', 1.2, ''],
  [' src/routes/people', 1.0, ''],
  ['  index.ts', 1.1, '88-96,131'],
  ['  statistics.ts', 0.62, '22-71'],
  ['  import.ts', 0.38, '14-102'],
];

function cell(value: number): string {
  const text = value.toFixed(2).replace(/\.?0+$/, '') || '0';
  return text.padStart(7);
}

export function vitestOutput(options: {
  at: string;
  coverage: CoverageSummary;
  threshold: number;
  testFiles: number;
  tests: number;
  failedTest: { file: string; name: string; error: string } | null;
}): string[] {
  const start = new Date(options.at).toISOString().slice(11, 19);
  const lines = [
    '',
    ' RUN  v3.2.4 /home/runner/work/titanic-service/titanic-service',
    '',
    ' Coverage enabled with istanbul',
    '',
  ];
  const files = [
    ['test/routes/people.test.ts', 14],
    ['test/routes/statistics.test.ts', 6],
    ['test/plugins/database.test.ts', 5],
    ['test/plugins/metrics.test.ts', 3],
    ['test/app.test.ts', 4],
    ['test/migrations.test.ts', options.tests - 32],
  ] as const;
  for (const [file, count] of files.slice(0, options.testFiles)) {
    if (options.failedTest && options.failedTest.file === file) {
      lines.push(` ❯ ${file} (${count} tests | 1 failed) 5031ms`);
      lines.push(`   × ${options.failedTest.name} 5008ms`);
    } else {
      lines.push(` ✓ ${file} (${count} tests) ${200 + count * 37}ms`);
    }
  }
  lines.push('');
  if (options.failedTest) {
    lines.push(
      '⎯⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯⎯',
      '',
      ` FAIL  ${options.failedTest.file} > ${options.failedTest.name}`,
      options.failedTest.error,
      '',
      '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
      '',
      ` Test Files  1 failed | ${options.testFiles - 1} passed (${
        options.testFiles
      })`,
      `      Tests  1 failed | ${options.tests - 1} passed (${options.tests})`,
    );
  } else {
    lines.push(
      ` Test Files  ${options.testFiles} passed (${options.testFiles})`,
      `      Tests  ${options.tests} passed (${options.tests})`,
    );
  }
  lines.push(
    `   Start at  ${start}`,
    '   Duration  6.84s (transform 412ms, setup 0ms, collect 1.91s, tests 3.27s, environment 1ms, prepare 388ms)',
    '',
    ' % Coverage report from istanbul',
  );
  const separator =
    '----------------------|---------|----------|---------|---------|-------------------';
  const { coverage } = options;
  lines.push(
    separator,
    'File                  | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
    separator,
    `All files             | ${cell(coverage.statements)} | ${cell(
      coverage.branches,
    ).padStart(8)} | ${cell(coverage.functions)} | ${cell(
      coverage.lines,
    )} |                   `,
  );
  for (const [name, factor, uncovered] of COVERAGE_FILES) {
    const value = (base: number) => Math.min(100, base * factor);
    lines.push(
      `${name.padEnd(22)}| ${cell(value(coverage.statements))} | ${cell(
        value(coverage.branches),
      ).padStart(8)} | ${cell(value(coverage.functions))} | ${cell(
        value(coverage.lines),
      )} | ${uncovered.padEnd(17)} `,
    );
  }
  lines.push(separator);
  for (const metric of [
    'lines',
    'functions',
    'statements',
    'branches',
  ] as const) {
    if (coverage[metric] < options.threshold) {
      lines.push(
        `ERROR: Coverage for ${metric} (${coverage[metric]}%) does not meet global threshold (${options.threshold}%)`,
      );
    }
  }
  return lines;
}

const TABLE_HEADERS = [
  'Library',
  'Vulnerability',
  'Severity',
  'Status',
  'Installed Version',
  'Fixed Version',
  'Title',
];

function trivyTable(vulnerabilities: readonly Vulnerability[]): string[] {
  const rows = vulnerabilities.map(v => [
    v.kind === 'node' ? `${v.pkgName} (package.json)` : v.pkgName,
    v.id,
    v.severity,
    v.fixedVersion ? 'fixed' : 'affected',
    v.installedVersion,
    v.fixedVersion,
    `${v.title.length > 60 ? `${v.title.slice(0, 57)}...` : v.title}`,
  ]);
  const widths = TABLE_HEADERS.map(
    (header, i) =>
      Math.max(header.length, ...rows.map(row => row[i].length)) + 2,
  );
  const line = (left: string, middle: string, right: string) =>
    left + widths.map(w => '─'.repeat(w)).join(middle) + right;
  const center = (text: string, width: number) => {
    const left = Math.floor((width - text.length) / 2);
    return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
  };
  const out = [
    line('┌', '┬', '┐'),
    `│${TABLE_HEADERS.map((h, i) => center(h, widths[i])).join('│')}│`,
    line('├', '┼', '┤'),
  ];
  rows.forEach((row, index) => {
    out.push(`│${row.map((c, i) => ` ${c.padEnd(widths[i] - 1)}`).join('│')}│`);
    if (index < rows.length - 1) out.push(line('├', '┼', '┤'));
  });
  out.push(line('└', '┴', '┘'));
  return out;
}

function totalLine(vulnerabilities: readonly Vulnerability[]): string {
  const critical = vulnerabilities.filter(
    v => v.severity === 'CRITICAL',
  ).length;
  const high = vulnerabilities.filter(v => v.severity === 'HIGH').length;
  return `Total: ${critical + high} (CRITICAL: ${critical}, HIGH: ${high})`;
}

/** `trivy image --severity CRITICAL,HIGH --ignore-unfixed --exit-code 1 <image>` */
export function trivyGateOutput(options: {
  at: string;
  image: string;
  present: readonly Vulnerability[];
}): string[] {
  const stamp = new Date(options.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const blocking = gateBlockingVulnerabilities(options.present);
  const os = blocking.filter(v => v.kind === 'os');
  const node = blocking.filter(v => v.kind === 'node');
  const osPackages = options.present.filter(v => v.kind === 'os').length;
  const lines = [
    `${stamp}\tINFO\t[vuln] Vulnerability scanning is enabled`,
    `${stamp}\tINFO\t[secret] Secret scanning is enabled`,
    `${stamp}\tINFO\tDetected OS\tfamily="alpine" version="3.20.3"`,
    `${stamp}\tINFO\t[alpine] Detecting vulnerabilities...\tos_version="3.20" repository="3.20" pkg_num=${
      18 + (osPackages % 7)
    }`,
    `${stamp}\tINFO\tNumber of language-specific files\tnum=1`,
    `${stamp}\tINFO\t[node-pkg] Detecting vulnerabilities...`,
    '',
    'Report Summary',
    '',
  ];
  const title = `${options.image} (alpine 3.20.3)`;
  lines.push(title, '='.repeat(title.length), totalLine(os), '');
  if (os.length > 0) lines.push(...trivyTable(os), '');
  lines.push('', 'Node.js (node-pkg)', '', totalLine(node), '');
  if (node.length > 0) lines.push(...trivyTable(node), '');
  return lines;
}

export function sonarScannerOutput(options: {
  at: string;
  branch: string;
  qualityGate: 'OK' | 'ERROR';
  projectKey: string;
}): string[] {
  const base = new Date(options.at).getTime();
  const t = (offsetSeconds: number) =>
    new Date(base + offsetSeconds * 1000).toISOString().slice(11, 23);
  const dashboard = `https://sonarcloud.io/dashboard?id=${options.projectKey}&branch=${options.branch}`;
  const lines = [
    `${t(
      0,
    )} INFO  Scanner configuration file: /opt/sonar-scanner/conf/sonar-scanner.properties`,
    `${t(
      0,
    )} INFO  Project root configuration file: /home/runner/work/titanic-service/titanic-service/sonar-project.properties`,
    `${t(0)} INFO  SonarScanner CLI 7.0.2.4839`,
    `${t(0)} INFO  Java 17.0.13 Eclipse Adoptium (64-bit)`,
    `${t(0)} INFO  Linux 6.8.0-1017-azure amd64`,
    `${t(1)} INFO  Communicating with SonarQube Cloud`,
    `${t(2)} INFO  Load global settings`,
    `${t(4)} INFO  Project key: ${options.projectKey}`,
    `${t(4)} INFO  Base dir: /home/runner/work/titanic-service/titanic-service`,
    `${t(
      4,
    )} INFO  Working dir: /home/runner/work/titanic-service/titanic-service/.scannerwork`,
    `${t(5)} INFO  Organization key: acme-corp`,
    `${t(5)} INFO  Branch name: ${options.branch}`,
    `${t(9)} INFO  Indexing files...`,
    `${t(9)} INFO  47 files indexed`,
    `${t(11)} INFO  Sensor JavaScript/TypeScript analysis [javascript]`,
    `${t(24)} INFO  Sensor JavaScript/TypeScript Coverage [javascript]`,
    `${t(
      24,
    )} INFO  Analysing [/home/runner/work/titanic-service/titanic-service/coverage/lcov.info]`,
    `${t(31)} INFO  Analysis report generated in 412ms, dir size=231.4 kB`,
    `${t(32)} INFO  Analysis report uploaded in 388ms`,
    `${t(
      32,
    )} INFO  ANALYSIS SUCCESSFUL, you can find the results at: ${dashboard}`,
    `${t(
      32,
    )} INFO  Note that you will be able to access the updated dashboard once the server has processed the submitted analysis report`,
    `${t(32)} INFO  ------------- Check Quality Gate status`,
    `${t(32)} INFO  Waiting for the analysis report to be processed (max 300s)`,
  ];
  if (options.qualityGate === 'OK') {
    lines.push(
      `${t(
        43,
      )} INFO  QUALITY GATE STATUS: PASSED - View details on ${dashboard}`,
      `${t(43)} INFO  EXECUTION SUCCESS`,
    );
  } else {
    lines.push(
      `${t(
        43,
      )} ERROR QUALITY GATE STATUS: FAILED - View details on ${dashboard}`,
      `${t(43)} INFO  EXECUTION FAILURE`,
    );
  }
  return lines;
}

const METRIC_NAMES: Record<string, string> = {
  new_coverage: 'Coverage on New Code',
  new_duplicated_lines_density: 'Duplicated Lines (%) on New Code',
  new_reliability_rating: 'Reliability Rating on New Code',
  new_security_rating: 'Security Rating on New Code',
  new_maintainability_rating: 'Maintainability Rating on New Code',
  new_security_hotspots_reviewed: 'Security Hotspots Reviewed on New Code',
};

export function sonarConditionName(metricKey: string): string {
  return METRIC_NAMES[metricKey] ?? metricKey;
}

/** The failed quality-gate conditions, one line each, as an annotation or summary text. */
export function describeFailedConditions(
  conditions: readonly SonarCondition[],
): string {
  return conditions
    .filter(c => c.status === 'ERROR')
    .map(
      c =>
        `${sonarConditionName(c.metricKey)} is ${c.actualValue}${
          c.metricKey.includes('coverage') || c.metricKey.includes('density')
            ? '%'
            : ''
        } (${c.comparator === 'LT' ? 'required ≥' : 'required ≤'} ${
          c.errorThreshold
        })`,
    )
    .join('; ');
}

export function buildOutput(options: {
  image: string;
  tags: string[];
  commitSha: string;
}): string[] {
  const digest = `sha256:${options.commitSha}${options.commitSha.slice(0, 24)}`;
  return [
    '#0 building with "builder-7a1c" instance using docker-container driver',
    '',
    '#1 [internal] load build definition from Dockerfile',
    '#1 transferring dockerfile: 1.02kB done',
    '#1 DONE 0.0s',
    '',
    '#2 [internal] load metadata for docker.io/library/node:22-alpine',
    '#2 DONE 0.8s',
    '',
    '#5 [build 1/6] FROM docker.io/library/node:22-alpine@sha256:9bef0ef1e268f60627da9ba7d7605e8831d5b56ad07487d24d1aa386336d1944',
    '#5 DONE 4.1s',
    '',
    '#9 [build 4/6] RUN npm ci --omit=dev',
    '#9 12.41 added 142 packages, and audited 143 packages in 11s',
    '#9 DONE 13.0s',
    '',
    '#12 exporting to image',
    '#12 exporting layers 2.7s done',
    `#12 exporting manifest ${digest} done`,
    ...options.tags.map(
      tag =>
        `#12 pushing layers for ${
          options.image.split(':')[0]
        }:${tag} 3.1s done`,
    ),
    '#12 DONE 6.4s',
    '',
    `Image ${options.image} pushed, digest ${digest}`,
  ];
}

export function rolloutOutput(options: {
  namespace: string;
  image: string;
  replicas: number;
}): string[] {
  const lines = [`deployment.apps/titanic-service image updated`];
  for (let i = 1; i <= options.replicas; i++) {
    lines.push(
      `Waiting for deployment "titanic-service" rollout to finish: ${i} out of ${options.replicas} new replicas have been updated...`,
    );
  }
  lines.push(
    'Waiting for deployment "titanic-service" rollout to finish: 1 old replicas are pending termination...',
    'deployment "titanic-service" successfully rolled out',
  );
  return lines;
}
