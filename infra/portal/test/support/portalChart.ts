import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runHelm } from '../../../test/support/helmBinary.js';
import { findObject, parseManifests, type KubernetesObject } from '../../../test/support/kubernetesManifests.js';

/** infra/portal: the portal's chart (this repository only; new services do not get it). */
export const portalChartRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The portal repository root, holding the app-config files the image ships. */
export const portalRepositoryRoot = path.resolve(portalChartRoot, '../..');
export const releaseNamespace = 'titanic-portal';

/** `helm template` of the chart with values.yaml and the given --set overrides; the result of the command. */
export function templatePortal(...overrides: string[]) {
  return runHelm('template', 'titanic-portal', portalChartRoot, '--namespace', releaseNamespace, ...overrides.flatMap(value => ['--set', value]));
}

let defaultRendering: KubernetesObject[] | undefined;
/** The chart rendered with its own values.yaml, parsed. */
export function renderPortal(): KubernetesObject[] {
  if (!defaultRendering) {
    const result = templatePortal();
    if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
    defaultRendering = parseManifests(result.stdout);
  }
  return defaultRendering;
}

export function portalWorkload(objects = renderPortal()) {
  const deployment = findObject(objects, 'Deployment', 'titanic-portal');
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((candidate: any) => candidate.name === 'backstage-backend');
  return { objects, deployment, pod, container };
}

/** The app-config overlay the chart's ConfigMap carries, as text. */
export function renderedOverlay(objects = renderPortal()): string {
  return findObject(objects, 'ConfigMap', 'titanic-portal-app-config').data['app-config.yaml'];
}

export function readAppConfig(file: string): Record<string, any> {
  return parse(fs.readFileSync(path.join(portalRepositoryRoot, file), 'utf8')) ?? {};
}

/** Backstage's merge of layered configuration: objects merge key by key, anything else is replaced. */
export function mergeConfigs(...layers: Record<string, any>[]): Record<string, any> {
  const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const merge = (base: unknown, layer: unknown): unknown => {
    if (!isObject(base) || !isObject(layer)) return layer === undefined ? base : layer;
    const merged: Record<string, any> = { ...base };
    for (const [key, value] of Object.entries(layer)) merged[key] = merge(base[key], value);
    return merged;
  };
  return layers.reduce((merged, layer) => merge(merged, layer) as Record<string, any>, {});
}

/** Every ${VARIABLE} a configuration substitutes (Backstage's $${...} escape excluded). */
export function substitutedVariables(config: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      for (const [, escape, name] of value.matchAll(/(\$?)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::-[^}]*)?\}/g)) if (!escape) found.add(name);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(config);
  return [...found].sort();
}
