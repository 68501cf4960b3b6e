import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parse, parseAllDocuments } from 'yaml';
import { checkovSarif } from '../../../world/sarif';
import { CheckovFinding } from '../../../world/records';
import { checkovScanResults } from '../../../world/toolReports';
import { StepInput, StepOutcome } from '../stepTypes';
import { listFiles } from './treeFacts';

/*
 * The Checkov gate, simulated: Checkov itself does not run. The sandbox evaluates a dozen of
 * Checkov's Kubernetes container checks (same ids, names and failure output) on the workloads
 * in the scanned directory of the pushed tree, honours the configuration's skip-check and
 * skip-path, and writes the SARIF the workflow uploads. A manifest that adds NET_RAW or runs as
 * root fails the gate as Checkov would.
 */

const GUIDE =
  'https://docs.prismacloud.io/en/enterprise-edition/policy-reference/kubernetes-policies/kubernetes-policy-index/';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Container = any;
type PodSpec = any;

interface ContainerCheck {
  id: string;
  name: string;
  guide: string;
  passes(container: Container, pod: PodSpec): boolean;
}

const capabilities = (container: Container) =>
  container.securityContext?.capabilities ?? {};
const dropped = (container: Container, capability: string) =>
  (capabilities(container).drop ?? []).some(
    (c: string) => c === 'ALL' || c === capability,
  );

const CHECKS: readonly ContainerCheck[] = [
  {
    id: 'CKV_K8S_8',
    name: 'Liveness Probe Should be Configured',
    guide: 'bc-k8s-7',
    passes: c => Boolean(c.livenessProbe),
  },
  {
    id: 'CKV_K8S_9',
    name: 'Readiness Probe Should be Configured',
    guide: 'bc-k8s-8',
    passes: c => Boolean(c.readinessProbe),
  },
  {
    id: 'CKV_K8S_10',
    name: 'CPU requests should be set',
    guide: 'bc-k8s-9',
    passes: c => Boolean(c.resources?.requests?.cpu),
  },
  {
    id: 'CKV_K8S_11',
    name: 'CPU limits should be set',
    guide: 'bc-k8s-10',
    passes: c => Boolean(c.resources?.limits?.cpu),
  },
  {
    id: 'CKV_K8S_12',
    name: 'Memory requests should be set',
    guide: 'bc-k8s-11',
    passes: c => Boolean(c.resources?.requests?.memory),
  },
  {
    id: 'CKV_K8S_13',
    name: 'Memory limits should be set',
    guide: 'bc-k8s-12',
    passes: c => Boolean(c.resources?.limits?.memory),
  },
  {
    id: 'CKV_K8S_15',
    name: 'Image Pull Policy should be Always',
    guide: 'bc-k8s-14',
    passes: c => c.imagePullPolicy === 'Always',
  },
  {
    id: 'CKV_K8S_16',
    name: 'Container should not be privileged',
    guide: 'bc-k8s-15',
    passes: c => c.securityContext?.privileged !== true,
  },
  {
    id: 'CKV_K8S_20',
    name: 'Containers should not run with allowPrivilegeEscalation',
    guide: 'bc-k8s-19',
    passes: c => c.securityContext?.allowPrivilegeEscalation === false,
  },
  {
    id: 'CKV_K8S_22',
    name: 'Use read-only filesystem for containers where possible',
    guide: 'bc-k8s-21',
    passes: c => c.securityContext?.readOnlyRootFilesystem === true,
  },
  {
    id: 'CKV_K8S_23',
    name: 'Minimize the admission of root containers',
    guide: 'bc-k8s-22',
    passes: (c, pod) =>
      (c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) ===
      true,
  },
  {
    id: 'CKV_K8S_28',
    name: 'Minimize the admission of containers with the NET_RAW capability',
    guide: 'bc-k8s-27',
    passes: c =>
      dropped(c, 'NET_RAW') && !(capabilities(c).add ?? []).includes('NET_RAW'),
  },
  {
    id: 'CKV_K8S_37',
    name: 'Minimize the admission of containers with capabilities assigned',
    guide: 'bc-k8s-34',
    passes: c => (capabilities(c).add ?? []).length === 0,
  },
  {
    id: 'CKV_K8S_40',
    name: 'Containers should run as a high UID to avoid host conflict',
    guide: 'bc-k8s-37',
    passes: (c, pod) =>
      (c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser ?? 0) >=
      10000,
  },
  {
    id: 'CKV_K8S_43',
    name: 'Image should use digest',
    guide: 'bc-k8s-39',
    passes: c => String(c.image ?? '').includes('@sha256:'),
  },
];

interface CheckovConfig {
  skipChecks: string[];
  skipPaths: string[];
}

function readConfig(
  workspace: string,
  file: string | undefined,
): CheckovConfig {
  if (!file || !existsSync(join(workspace, file)))
    return { skipChecks: [], skipPaths: [] };
  const config = parse(readFileSync(join(workspace, file), 'utf8')) ?? {};
  const list = (value: unknown) =>
    [value ?? []].flat().map(item => String(item).split(/\s/)[0]);
  return {
    skipChecks: list(config['skip-check']),
    skipPaths: list(config['skip-path']),
  };
}

function podSpecOf(document: any): PodSpec | undefined {
  if (document?.kind === 'Pod') return document.spec;
  if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(
      document?.kind,
    )
  )
    return document.spec?.template?.spec;
  if (document?.kind === 'CronJob')
    return document.spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

export function simulatedCheckov(input: StepInput): StepOutcome {
  const directory = String(input.with.directory ?? '.');
  const configFile = input.with.config_file
    ? String(input.with.config_file)
    : undefined;
  const config = readConfig(input.workspace, configFile);
  const root = join(input.workspace, directory);
  const manifests = listFiles(root)
    .filter(file => /\.ya?ml$/.test(file))
    .filter(file => !config.skipPaths.some(skip => file.startsWith(skip)));
  let passed = 0;
  let skipped = 0;
  let workloads = 0;
  const failures: CheckovFinding[] = [];
  for (const file of manifests) {
    const text = readFileSync(join(root, file), 'utf8');
    const lineCounter = new LineCounter();
    for (const document of parseAllDocuments(text, { lineCounter })) {
      if (!('toJS' in document) || document.errors.length > 0) continue;
      const value = document.toJS() as any;
      const pod = podSpecOf(value);
      // Kustomize patches name a workload without being one: only complete workloads count.
      if (!pod || !(pod.containers ?? []).every((c: Container) => c?.image))
        continue;
      if (!(pod.containers ?? []).length) continue;
      workloads += 1;
      const path = directory === '.' ? file : `${directory}/${file}`;
      const [start, , end] = document.range;
      const resource = `${value.kind}.${
        value.metadata?.namespace ?? 'default'
      }.${value.metadata?.name}`;
      for (const check of CHECKS) {
        if (config.skipChecks.includes(check.id)) {
          skipped += 1;
          continue;
        }
        const containers: Container[] = [
          ...(pod.containers ?? []),
          ...(pod.initContainers ?? []),
        ];
        if (containers.every(container => check.passes(container, pod))) {
          passed += 1;
          continue;
        }
        failures.push({
          checkId: check.id,
          name: check.name,
          resource,
          path,
          startLine: lineCounter.linePos(start).line,
          endLine: Math.max(1, lineCounter.linePos(end).line - 1),
          guide: `${GUIDE}${check.guide}`,
          baseline: false,
        });
      }
    }
  }
  const lines = [
    `[sandbox] SIMULATED: Checkov did not run. The sandbox evaluated ${
      CHECKS.length
    } of Checkov's Kubernetes container checks on the ${workloads} workloads in ${
      manifests.length
    } manifests under ${directory}/ of the pushed tree${
      configFile ? `, with the skips of ${configFile}` : ''
    }; Terraform, Helm and workflow checks are not simulated.`,
    '',
    'By Prisma Cloud | version: 3.2.334 ',
    '',
    ...checkovScanResults('kubernetes', passed, skipped, failures),
  ];
  const outputs = String(
    input.with.output_file_path ?? 'console,results.sarif',
  ).split(',');
  const formats = String(input.with.output_format ?? 'cli,sarif').split(',');
  const sarifFile = outputs[formats.indexOf('sarif')];
  if (sarifFile)
    writeFileSync(
      join(input.workspace, sarifFile),
      JSON.stringify(checkovSarif(failures), null, 2),
    );
  const softFail =
    input.with.soft_fail === true || input.with.soft_fail === 'true';
  return {
    lines,
    conclusion: failures.length > 0 && !softFail ? 'failure' : 'success',
    exitCode: 1,
    simulatedSeconds: 10 + manifests.length * 0.2,
  };
}
