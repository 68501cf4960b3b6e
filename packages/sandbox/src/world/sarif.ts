import { CheckovFinding, SecretFinding, Vulnerability } from './records';
import { IMAGE_REPOSITORY } from './releases';

/*
 * SARIF 2.1.0 documents as the scanners write them (gitleaks 8 `--report-format sarif`,
 * checkov 3 `-o sarif`, trivy `--format sarif`); the pipeline uploads them to code scanning.
 */

export interface SarifLog {
  $schema?: string;
  version: string;
  runs: Array<{
    tool: {
      driver: Record<string, unknown> & { name: string; rules?: SarifRule[] };
    };
    results: SarifResult[];
    [key: string]: unknown;
  }>;
}

export interface SarifRule {
  id: string;
  name?: string;
  shortDescription?: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown?: string };
  helpUri?: string;
  defaultConfiguration?: { level?: string };
  properties?: {
    tags?: string[];
    'security-severity'?: string;
    [key: string]: unknown;
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level?: 'none' | 'note' | 'warning' | 'error';
  message: { text: string };
  locations?: Array<{
    physicalLocation?: {
      artifactLocation?: { uri?: string; uriBaseId?: string };
      region?: {
        startLine?: number;
        startColumn?: number;
        endLine?: number;
        endColumn?: number;
        snippet?: { text: string };
      };
    };
    message?: { text: string };
  }>;
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function gitleaksSarif(options: {
  leaks: readonly SecretFinding[];
  commitSha: string;
  author: string;
  date: string;
  commitMessage: string;
}): SarifLog {
  // gitleaks lists every rule of its config (~200); the sandbox keeps the ones that fired.
  const rules = [
    ...new Map(options.leaks.map(l => [l.ruleId, l])).values(),
  ].map(leak => ({
    id: leak.ruleId,
    shortDescription: { text: leak.description },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitleaks',
            semanticVersion: 'v8.21.2',
            informationUri: 'https://github.com/gitleaks/gitleaks',
            rules,
          },
        },
        results: options.leaks.map(leak => ({
          message: {
            text: `${leak.ruleId} has detected secret for file ${leak.path} at commit ${options.commitSha}.`,
          },
          ruleId: leak.ruleId,
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: leak.path },
                region: {
                  startLine: leak.line,
                  startColumn: leak.linePrefix.length + 1,
                  endLine: leak.line,
                  endColumn: leak.linePrefix.length + 40,
                  snippet: { text: 'REDACTED' },
                },
              },
            },
          ],
          partialFingerprints: {
            commitSha: options.commitSha,
            email: `${options.author}@acme-corp.example`,
            author: options.author,
            date: options.date,
            commitMessage: options.commitMessage,
          },
          properties: { tags: [] },
        })),
      },
    ],
  };
}

export function checkovSarif(findings: readonly CheckovFinding[]): SarifLog {
  const ruleIds = [...new Set(findings.map(f => f.checkId))];
  const rules: SarifRule[] = ruleIds.map(id => {
    const finding = findings.find(f => f.checkId === id)!;
    return {
      id,
      name: finding.name,
      shortDescription: { text: finding.name },
      fullDescription: { text: finding.name },
      help: {
        text: `${finding.name}\nResource: ${finding.resource}\nGuideline: ${finding.guide}`,
      },
      helpUri: finding.guide,
      defaultConfiguration: { level: 'error' },
    };
  });
  return {
    $schema:
      'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Checkov',
            version: '3.2.334',
            informationUri: 'https://checkov.io',
            organization: 'bridgecrew',
            rules,
          },
        },
        results: findings.map(finding => ({
          ruleId: finding.checkId,
          ruleIndex: ruleIds.indexOf(finding.checkId),
          level: 'error' as const,
          attachments: [],
          message: { text: finding.name },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: finding.path },
                region: {
                  startLine: finding.startLine,
                  endLine: finding.endLine,
                  snippet: { text: `# ${finding.resource}` },
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

function sarifLevel(
  severity: Vulnerability['severity'],
): 'error' | 'warning' | 'note' {
  if (severity === 'CRITICAL' || severity === 'HIGH') return 'error';
  return severity === 'MEDIUM' ? 'warning' : 'note';
}

function avdLink(id: string): string {
  return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
}

export function trivySarif(options: {
  vulnerabilities: readonly Vulnerability[];
  imageTag: string;
  /** The image's repository; titanic-service's by default. */
  imageRepository?: string;
}): SarifLog {
  const repository = options.imageRepository ?? IMAGE_REPOSITORY;
  const image = `${repository}:${options.imageTag}`;
  const ids = [...new Set(options.vulnerabilities.map(v => v.id))];
  const rules: SarifRule[] = ids.map(id => {
    const v = options.vulnerabilities.find(x => x.id === id)!;
    const text = `Vulnerability ${v.id}\nSeverity: ${v.severity}\nPackage: ${
      v.pkgName
    }\nFixed Version: ${v.fixedVersion}\nLink: [${v.id}](${avdLink(v.id)})\n${
      v.title
    }`;
    return {
      id,
      name:
        v.kind === 'os'
          ? 'OsPackageVulnerability'
          : 'LanguageSpecificPackageVulnerability',
      shortDescription: { text: v.title },
      fullDescription: { text: v.title },
      defaultConfiguration: { level: sarifLevel(v.severity) },
      helpUri: avdLink(v.id),
      help: {
        text: text,
        markdown: `**Vulnerability ${
          v.id
        }**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${
          v.severity
        }|${v.pkgName}|${v.fixedVersion}|[${v.id}](${avdLink(v.id)})|\n\n${
          v.title
        }`,
      },
      properties: {
        precision: 'very-high',
        'security-severity': v.cvss.toFixed(1),
        tags: ['vulnerability', 'security', v.severity],
      },
    };
  });
  return {
    version: '2.1.0',
    $schema:
      'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            fullName: 'Trivy Vulnerability Scanner',
            informationUri: 'https://github.com/aquasecurity/trivy',
            name: 'Trivy',
            rules,
            version: '0.57.1',
          },
        },
        results: options.vulnerabilities.map(v => {
          const uri = v.kind === 'os' ? repository : 'app/package-lock.json';
          return {
            ruleId: v.id,
            ruleIndex: ids.indexOf(v.id),
            level: sarifLevel(v.severity),
            message: {
              text: `Package: ${v.pkgName}\nInstalled Version: ${
                v.installedVersion
              }\nVulnerability ${v.id}\nSeverity: ${
                v.severity
              }\nFixed Version: ${v.fixedVersion}\nLink: [${v.id}](${avdLink(
                v.id,
              )})`,
            },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri, uriBaseId: 'ROOTPATH' },
                  region: {
                    startLine: 1,
                    startColumn: 1,
                    endLine: 1,
                    endColumn: 1,
                  },
                },
                message: { text: `${uri}: ${v.pkgName}@${v.installedVersion}` },
              },
            ],
          };
        }),
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
        properties: { imageName: image, repoTags: [image] },
      },
    ],
  };
}
