import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Vulnerability } from '../../../world/records';
import { trivySarif } from '../../../world/sarif';
import { trivyGateOutput } from '../../../world/toolReports';
import { knownNodeVulnerabilities } from '../../../world/trivyFindings';
import { StepInput, StepOutcome } from '../stepTypes';
import { ImageManifest } from './imageBuild';

/*
 * The Trivy gate, simulated: Trivy does not run. It reads the manifest the simulated build left
 * in place of the image archive and matches it against a small catalog — well-known findings of
 * the base image's distribution and the known vulnerabilities of npm packages at the versions
 * the lock file pins — then reports them in Trivy's formats (SARIF, tables), honouring
 * `severity`, `ignore-unfixed` and `exit-code`.
 */

type Finding = Omit<Vulnerability, 'presentFrom' | 'presentUntil'>;

/** Long-standing findings Trivy reports for Debian 12 (bookworm) base images. */
const BOOKWORM: readonly Finding[] = [
  {
    id: 'CVE-2025-0395',
    pkgName: 'libc6',
    installedVersion: '2.36-9+deb12u9',
    fixedVersion: '2.36-9+deb12u10',
    severity: 'MEDIUM',
    title: "glibc: buffer overflow in the GNU C Library's assert()",
    kind: 'os',
    cvss: 5.5,
  },
  {
    id: 'CVE-2011-3374',
    pkgName: 'apt',
    installedVersion: '2.6.1',
    fixedVersion: '',
    severity: 'LOW',
    title:
      'apt-key does not correctly validate gpg keys with the master keyring',
    kind: 'os',
    cvss: 3.7,
  },
  {
    id: 'CVE-2016-2781',
    pkgName: 'coreutils',
    installedVersion: '9.1-1',
    fixedVersion: '',
    severity: 'LOW',
    title:
      'coreutils: non-privileged session can escape to the parent session in chroot',
    kind: 'os',
    cvss: 6.5,
  },
  {
    id: 'CVE-2005-2541',
    pkgName: 'tar',
    installedVersion: '1.34+dfsg-1.2+deb12u1',
    fixedVersion: '',
    severity: 'LOW',
    title:
      'tar: does not properly warn the user when extracting setuid or setgid files',
    kind: 'os',
    cvss: 7.0,
  },
  {
    id: 'CVE-2022-0563',
    pkgName: 'util-linux',
    installedVersion: '2.38.1-5+deb12u3',
    fixedVersion: '',
    severity: 'LOW',
    title: 'util-linux: partial disclosure of arbitrary files in chfn and chsh',
    kind: 'os',
    cvss: 5.5,
  },
];

/** Long-standing findings Trivy reports for Alpine base images. */
const ALPINE: readonly Finding[] = [
  {
    id: 'CVE-2024-58251',
    pkgName: 'busybox',
    installedVersion: '1.36.1-r29',
    fixedVersion: '1.36.1-r30',
    severity: 'LOW',
    title: 'busybox: netstat escape sequences in process names',
    kind: 'os',
    cvss: 2.5,
  },
];

function distribution(baseImages: readonly string[]): {
  name: string;
  findings: readonly Finding[];
} {
  const runtime = baseImages.at(-1) ?? '';
  if (/alpine/.test(runtime))
    return { name: 'alpine 3.20.3', findings: ALPINE };
  if (/bookworm|^node:\d+(-slim)?$|debian/.test(runtime))
    return { name: 'debian 12.11', findings: BOOKWORM };
  return { name: 'unknown', findings: [] };
}

function findingsOf(manifest: ImageManifest): {
  os: string;
  findings: Finding[];
} {
  const { name, findings } = distribution(manifest.baseImages);
  const node = knownNodeVulnerabilities().filter(v =>
    manifest.packages.some(
      p => p.name === v.pkgName && p.version === v.installedVersion,
    ),
  );
  return { os: name, findings: [...findings, ...node] };
}

export function simulatedTrivy(input: StepInput): StepOutcome {
  const archive = String(input.with.input ?? '');
  const path = archive.startsWith('/')
    ? archive
    : join(input.workspace, archive);
  if (!archive || !existsSync(path)) {
    return {
      lines: [
        `FATAL\tFatal error\timage scan error: unable to open ${
          archive || 'the image'
        }`,
      ],
      conclusion: 'failure',
      exitCode: 1,
      simulatedSeconds: 3,
    };
  }
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as ImageManifest;
  const { os, findings } = findingsOf(manifest);
  const severities = String(
    input.with.severity ?? 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
  ).split(',');
  const ignoreUnfixed =
    input.with['ignore-unfixed'] === true ||
    input.with['ignore-unfixed'] === 'true';
  const reported = findings
    .filter(f => severities.includes(f.severity))
    .filter(f => !ignoreUnfixed || f.fixedVersion !== '');
  const image =
    manifest.tags.find(tag => tag.includes(':sha-')) ??
    manifest.tags[0] ??
    'image';
  const [repository, tag] = [
    image.slice(0, image.lastIndexOf(':')),
    image.slice(image.lastIndexOf(':') + 1),
  ];
  const note = `[sandbox] SIMULATED: Trivy did not run. The image manifest the build left (${[
    ...new Set(manifest.baseImages),
  ].join(', ')}; ${
    manifest.packages.length
  } runtime npm packages) was matched against the sandbox's small catalog of ${os} findings and known npm vulnerabilities.`;
  const format = String(input.with.format ?? 'table');
  const exitCode = Number(input.with['exit-code'] ?? 0);
  const present = reported.map(f => ({
    ...f,
    presentFrom: 0,
    presentUntil: 1,
  }));
  if (format === 'sarif') {
    const output = String(input.with.output ?? 'trivy-results.sarif');
    writeFileSync(
      join(input.workspace, output),
      JSON.stringify(
        trivySarif({
          vulnerabilities: present,
          imageTag: tag,
          imageRepository: repository,
        }),
        null,
        2,
      ),
    );
    return {
      lines: [
        note,
        `Report written to ${output}: ${reported.length} vulnerabilities`,
      ],
      conclusion: reported.length > 0 && exitCode !== 0 ? 'failure' : 'success',
      exitCode,
      simulatedSeconds: 8,
    };
  }
  const lines = [
    note,
    ...trivyGateOutput({ at: new Date().toISOString(), image, present }).map(
      line =>
        os.startsWith('debian')
          ? line
              .replace('(alpine 3.20.3)', `(${os})`)
              .replace(
                'family="alpine" version="3.20.3"',
                'family="debian" version="12.11"',
              )
              .replace('[alpine]', '[debian]')
              .replace('os_version="3.20" repository="3.20"', 'os_version="12"')
          : line,
    ),
  ];
  return {
    lines,
    conclusion: reported.length > 0 && exitCode !== 0 ? 'failure' : 'success',
    exitCode,
    simulatedSeconds: 4,
  };
}
