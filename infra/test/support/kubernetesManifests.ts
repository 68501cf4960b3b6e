import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCommand } from './commandRunner.js';
import { kustomizeRoot, type Environment } from './repositoryPaths.js';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export function parseManifests(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map(document => {
      if (document.errors.length) throw new Error(document.errors.map(error => error.message).join('\n'));
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

const renderCache = new Map<string, KubernetesObject[]>();

/** `kubectl kustomize` of base/ or overlays/<environment>, parsed; throws with kubectl's message on failure. */
export function renderKustomization(target: 'base' | Environment): KubernetesObject[] {
  const cached = renderCache.get(target);
  if (cached) return cached;
  const directory = target === 'base' ? path.join(kustomizeRoot, 'base') : path.join(kustomizeRoot, 'overlays', target);
  const result = runCommand('kubectl', ['kustomize', directory]);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${directory} failed (${result.status}):\n${result.stderr}`);
  const objects = parseManifests(result.stdout);
  renderCache.set(target, objects);
  return objects;
}

export function findObject(objects: KubernetesObject[], kind: string, name?: string): KubernetesObject {
  const found = objects.filter(object => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}
