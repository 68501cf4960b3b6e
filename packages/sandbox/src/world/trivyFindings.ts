import { Vulnerability } from './records';
import { SeededRandom } from './seededRandom';

/*
 * What Trivy finds in titanic-service's image over its history: curated well-known CVEs and a
 * deterministic long tail. The job logs (trivy's own tables) and the SARIF uploaded to code
 * scanning are both rendered from this catalog.
 */

/** Well-known vulnerabilities the titanic image carried at some point. */
const CURATED_VULNERABILITIES: ReadonlyArray<
  Omit<Vulnerability, 'presentFrom' | 'presentUntil'>
> = [
  {
    id: 'CVE-2025-7783',
    pkgName: 'form-data',
    installedVersion: '4.0.0',
    fixedVersion: '2.5.4, 3.0.4, 4.0.4',
    severity: 'CRITICAL',
    title: 'form-data: Unsafe random function in form-data',
    kind: 'node',
    cvss: 9.4,
  },
  {
    id: 'CVE-2024-21538',
    pkgName: 'cross-spawn',
    installedVersion: '7.0.3',
    fixedVersion: '7.0.5, 6.0.6',
    severity: 'HIGH',
    title: 'cross-spawn: regular expression denial of service',
    kind: 'node',
    cvss: 7.5,
  },
  {
    id: 'CVE-2024-45296',
    pkgName: 'path-to-regexp',
    installedVersion: '0.1.7',
    fixedVersion: '1.9.0, 0.1.10, 8.0.0, 3.3.0, 6.3.0',
    severity: 'HIGH',
    title: 'path-to-regexp: Backtracking regular expressions cause ReDoS',
    kind: 'node',
    cvss: 7.5,
  },
  {
    id: 'CVE-2024-47764',
    pkgName: 'cookie',
    installedVersion: '0.6.0',
    fixedVersion: '0.7.0',
    severity: 'LOW',
    title:
      'cookie: cookie accepts cookie name, path, and domain with out of bounds characters',
    kind: 'node',
    cvss: 3.7,
  },
  {
    id: 'CVE-2024-43799',
    pkgName: 'send',
    installedVersion: '0.18.0',
    fixedVersion: '0.19.0',
    severity: 'LOW',
    title: 'send: Code Execution Vulnerability in Send Library',
    kind: 'node',
    cvss: 3.4,
  },
  {
    id: 'CVE-2024-4068',
    pkgName: 'braces',
    installedVersion: '3.0.2',
    fixedVersion: '3.0.3',
    severity: 'HIGH',
    title: 'braces: fails to limit the number of characters it can handle',
    kind: 'node',
    cvss: 7.5,
  },
  {
    id: 'CVE-2024-37890',
    pkgName: 'ws',
    installedVersion: '8.16.0',
    fixedVersion: '5.2.4, 6.2.3, 7.5.10, 8.17.1',
    severity: 'HIGH',
    title:
      'nodejs-ws: denial of service when handling a request with many HTTP headers',
    kind: 'node',
    cvss: 7.5,
  },
  {
    id: 'CVE-2024-5535',
    pkgName: 'libssl3',
    installedVersion: '3.3.0-r2',
    fixedVersion: '3.3.1-r1',
    severity: 'CRITICAL',
    title: 'openssl: SSL_select_next_proto buffer overread',
    kind: 'os',
    cvss: 9.1,
  },
  {
    id: 'CVE-2024-6119',
    pkgName: 'libcrypto3',
    installedVersion: '3.3.0-r2',
    fixedVersion: '3.3.2-r0',
    severity: 'HIGH',
    title: 'openssl: Possible denial of service in X.509 name checks',
    kind: 'os',
    cvss: 7.5,
  },
  {
    id: 'CVE-2024-9143',
    pkgName: 'libcrypto3',
    installedVersion: '3.3.2-r0',
    fixedVersion: '3.3.2-r1',
    severity: 'LOW',
    title:
      'openssl: Low-level invalid GF(2^m) parameters lead to OOB memory access',
    kind: 'os',
    cvss: 4.3,
  },
  {
    id: 'CVE-2023-45853',
    pkgName: 'zlib',
    installedVersion: '1.3.1-r1',
    fixedVersion: '',
    severity: 'CRITICAL',
    title:
      'zlib: integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_6',
    kind: 'os',
    cvss: 9.8,
  },
  {
    id: 'CVE-2024-58251',
    pkgName: 'busybox',
    installedVersion: '1.36.1-r29',
    fixedVersion: '',
    severity: 'LOW',
    title: 'busybox: Busybox netstat local users launch of network application',
    kind: 'os',
    cvss: 2.5,
  },
];

const OS_PACKAGES: ReadonlyArray<[string, string]> = [
  ['busybox', '1.36.1-r29'],
  ['ssl_client', '1.36.1-r29'],
  ['musl', '1.2.5-r0'],
  ['musl-utils', '1.2.5-r0'],
  ['libcrypto3', '3.3.2-r0'],
  ['libssl3', '3.3.2-r0'],
  ['zlib', '1.3.1-r1'],
  ['libcurl', '8.9.1-r2'],
  ['curl', '8.9.1-r2'],
  ['c-ares', '1.33.1-r0'],
  ['nghttp2-libs', '1.62.1-r0'],
  ['libxml2', '2.12.7-r0'],
  ['sqlite-libs', '3.45.3-r1'],
  ['expat', '2.6.3-r0'],
  ['ncurses-libs', '6.4_p20240420-r1'],
  ['pcre2', '10.43-r0'],
  ['libgcc', '13.2.1_git20240309-r0'],
  ['libstdc++', '13.2.1_git20240309-r0'],
  ['krb5-libs', '1.21.3-r0'],
  ['libidn2', '2.3.7-r0'],
  ['gnutls', '3.8.5-r0'],
  ['libtasn1', '4.19.0-r2'],
];

const NODE_PACKAGES: ReadonlyArray<[string, string]> = [
  ['express', '4.19.2'],
  ['body-parser', '1.20.2'],
  ['serve-static', '1.15.0'],
  ['undici', '6.11.1'],
  ['semver', '7.5.4'],
  ['tar', '6.2.0'],
  ['micromatch', '4.0.5'],
  ['tough-cookie', '4.1.2'],
  ['jsonwebtoken', '9.0.0'],
  ['lodash', '4.17.20'],
  ['minimatch', '3.0.4'],
  ['glob-parent', '5.1.1'],
  ['ip', '2.0.0'],
  ['nanoid', '3.3.6'],
  ['follow-redirects', '1.15.4'],
  ['axios', '1.6.0'],
  ['pg', '8.11.3'],
  ['fastify', '4.26.0'],
  ['find-my-way', '8.1.0'],
  ['fast-json-stringify', '5.8.0'],
  ['ajv', '8.12.0'],
  ['yaml', '2.3.1'],
  ['protobufjs', '7.2.4'],
  ['prom-client', '15.0.0'],
];

const TITLE_TEMPLATES: readonly string[] = [
  '%s: denial of service via crafted input',
  '%s: uncontrolled resource consumption',
  '%s: out-of-bounds read when parsing malformed data',
  '%s: improper input validation allows request smuggling',
  '%s: heap-based buffer overflow',
  '%s: prototype pollution via crafted object keys',
  '%s: inefficient regular expression complexity',
  '%s: information disclosure through error messages',
  '%s: use-after-free in cleanup path',
  '%s: NULL pointer dereference',
];

/**
 * The vulnerabilities Trivy reports across the pipeline history (runCount runs): the curated
 * well-known ones plus a deterministic long tail, enough for several hundred code-scanning
 * alerts so that paging beyond 100 matters.
 */
export function trivyVulnerabilities(runCount: number): Vulnerability[] {
  const random = new SeededRandom(0x7219);
  const vulnerabilities: Vulnerability[] = [];
  for (const curated of CURATED_VULNERABILITIES) {
    // The fixable CRITICAL/HIGH ones arrive with the "Bump form-data" change (run index 10,
    // which fails the Trivy gate) and are fixed by the next build.
    const windows: Record<string, [number, number]> = {
      'CVE-2025-7783': [10, 11],
      'CVE-2024-21538': [10, 11],
      'CVE-2024-45296': [10, 11],
      'CVE-2024-4068': [10, 11],
      'CVE-2024-37890': [10, 11],
      'CVE-2024-5535': [10, 11],
      'CVE-2024-6119': [10, 11],
      'CVE-2024-9143': [11, runCount],
      'CVE-2024-47764': [0, 15],
      'CVE-2024-43799': [0, 15],
    };
    const [presentFrom, presentUntil] = windows[curated.id] ?? [0, runCount];
    vulnerabilities.push({ ...curated, presentFrom, presentUntil });
  }
  const severityRoll: Array<[number, Vulnerability['severity']]> = [
    [0.015, 'CRITICAL'],
    [0.13, 'HIGH'],
    [0.55, 'MEDIUM'],
    [1, 'LOW'],
  ];
  const packages = [
    ...OS_PACKAGES.map(([name, version]) => ({
      name,
      version,
      kind: 'os' as const,
    })),
    ...NODE_PACKAGES.map(([name, version]) => ({
      name,
      version,
      kind: 'node' as const,
    })),
  ];
  let sequence = 0;
  for (const pkg of packages) {
    const count = random.integer(4, 14);
    for (let i = 0; i < count; i++) {
      const roll = random.next();
      const severity = severityRoll.find(([limit]) => roll < limit)![1];
      const year = random.integer(2019, 2025);
      sequence += 1;
      const id = `CVE-${year}-${String(
        20000 + sequence * 37 + random.integer(0, 36),
      ).padStart(5, '0')}`;
      const cvssRange: Record<Vulnerability['severity'], [number, number]> = {
        CRITICAL: [9, 8],
        HIGH: [7, 19],
        MEDIUM: [4, 29],
        LOW: [1, 29],
      };
      const [cvssBase, cvssSpread] = cvssRange[severity];
      const cvss = cvssBase + random.integer(0, cvssSpread) / 10;
      // Unfixed (no fixed version) findings stay; fixable ones are fixed by a later release.
      const fixable = random.next() < 0.6;
      const presentFrom =
        random.next() < 0.7 ? 0 : random.integer(1, runCount - 1);
      const presentUntil =
        fixable && random.next() < 0.35
          ? random.integer(presentFrom + 1, runCount)
          : runCount;
      // The gate fails on fixable CRITICAL/HIGH findings; keep the long tail's fixable ones
      // below HIGH so only the curated CVE-2025-7783 run fails at Trivy.
      const gateSafeSeverity =
        fixable && (severity === 'CRITICAL' || severity === 'HIGH')
          ? 'MEDIUM'
          : severity;
      const [major, minor = '0', patch = '0'] = pkg.version.split(/[.-]/);
      vulnerabilities.push({
        id,
        pkgName: pkg.name,
        installedVersion: pkg.version,
        fixedVersion: fixable
          ? `${major}.${minor}.${Number.parseInt(patch, 10) + 1 || 1}`
          : '',
        severity: gateSafeSeverity,
        title: random.pick(TITLE_TEMPLATES).replace('%s', pkg.name),
        kind: pkg.kind,
        cvss: gateSafeSeverity === severity ? cvss : 5.5,
        presentFrom,
        presentUntil,
      });
    }
  }
  return vulnerabilities;
}

/** The well-known vulnerabilities of npm packages, for images whose lock file holds them. */
export function knownNodeVulnerabilities(): Array<
  Omit<Vulnerability, 'presentFrom' | 'presentUntil'>
> {
  return CURATED_VULNERABILITIES.filter(v => v.kind === 'node');
}

/** Vulnerabilities present in the image built by the run at runIndex. */
export function vulnerabilitiesAt(
  all: readonly Vulnerability[],
  runIndex: number,
): Vulnerability[] {
  return all.filter(
    v => v.presentFrom <= runIndex && runIndex < v.presentUntil,
  );
}

/** What fails the Trivy gate: fixable CRITICAL and HIGH findings (trivy --ignore-unfixed). */
export function gateBlockingVulnerabilities(
  present: readonly Vulnerability[],
): Vulnerability[] {
  return present.filter(
    v =>
      v.fixedVersion !== '' &&
      (v.severity === 'CRITICAL' || v.severity === 'HIGH'),
  );
}
