import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/*
 * `kustomize build` for what the deploy jobs apply: a kustomization's resources (files and
 * nested kustomizations), `namespace`, `labels`/`commonLabels`, `commonAnnotations` and
 * `images` — enough to turn the pushed infra/k8s overlay into the Namespace and Deployment the
 * cluster receives. Patches are left out (they carry cloud settings the sandbox has no use for).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export type KubeDocument = any;

export interface ImageOverride {
  /** The image name as written in the manifests, e.g. ghcr.io/acme-corp/orders. */
  name: string;
  /** The reference to use instead, e.g. ghcr.io/acme-corp/orders:sha-1a2b3c4. */
  reference: string;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

function kustomizationFile(directory: string): string | undefined {
  return ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map(name => join(directory, name))
    .find(path => existsSync(path));
}

function setImage(
  image: string,
  images: Array<Record<string, string>>,
): string {
  for (const rule of images) {
    const name = rule.name;
    if (
      image !== name &&
      !image.startsWith(`${name}:`) &&
      !image.startsWith(`${name}@`)
    )
      continue;
    const base = rule.newName ?? name;
    if (rule.digest) return `${base}@${rule.digest}`;
    const tag =
      rule.newTag ??
      (image.includes(':')
        ? image.slice(image.lastIndexOf(':') + 1)
        : undefined);
    return tag ? `${base}:${tag}` : base;
  }
  return image;
}

function podSpec(document: KubeDocument): KubeDocument | undefined {
  return (
    document?.spec?.template?.spec ??
    (document?.kind === 'Pod' ? document.spec : undefined)
  );
}

function transform(
  documents: KubeDocument[],
  kustomization: KubeDocument,
): KubeDocument[] {
  const labelSets: Array<{
    pairs: Record<string, string>;
    templates: boolean;
    selectors: boolean;
  }> = [
    ...(kustomization.commonLabels
      ? [
          {
            pairs: kustomization.commonLabels,
            templates: true,
            selectors: true,
          },
        ]
      : []),
    ...(kustomization.labels ?? []).map((set: KubeDocument) => ({
      pairs: set.pairs ?? {},
      templates: Boolean(set.includeTemplates),
      selectors: Boolean(set.includeSelectors),
    })),
  ];
  return documents.map(original => {
    const document = structuredClone(original);
    document.metadata ??= {};
    if (kustomization.namespace) {
      if (document.kind === 'Namespace')
        document.metadata.name = kustomization.namespace;
      else if (!CLUSTER_SCOPED.has(document.kind))
        document.metadata.namespace = kustomization.namespace;
    }
    for (const set of labelSets) {
      document.metadata.labels = { ...document.metadata.labels, ...set.pairs };
      if (set.templates && document.spec?.template) {
        document.spec.template.metadata ??= {};
        document.spec.template.metadata.labels = {
          ...document.spec.template.metadata.labels,
          ...set.pairs,
        };
      }
      if (set.selectors && document.spec?.selector?.matchLabels)
        document.spec.selector.matchLabels = {
          ...document.spec.selector.matchLabels,
          ...set.pairs,
        };
    }
    if (kustomization.commonAnnotations)
      document.metadata.annotations = {
        ...document.metadata.annotations,
        ...kustomization.commonAnnotations,
      };
    const spec = podSpec(document);
    for (const container of [
      ...(spec?.containers ?? []),
      ...(spec?.initContainers ?? []),
    ])
      if (container.image)
        container.image = setImage(container.image, kustomization.images ?? []);
    return document;
  });
}

/** The documents `kustomize build <directory>` gives, confined to `root`. */
export function kustomizeBuild(
  directory: string,
  root: string,
  override?: ImageOverride,
): KubeDocument[] {
  const file = kustomizationFile(directory);
  if (!file)
    throw new Error(
      `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${directory}'`,
    );
  const kustomization = parse(readFileSync(file, 'utf8')) ?? {};
  const documents: KubeDocument[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(directory, resource);
    if (!path.startsWith(root))
      throw new Error(`${resource} is outside the repository`);
    if (statSync(path).isDirectory())
      documents.push(...kustomizeBuild(path, root));
    else
      documents.push(
        ...parseAllDocuments(readFileSync(path, 'utf8'))
          .map(document => document.toJS())
          .filter(Boolean),
      );
  }
  const images = [...(kustomization.images ?? [])];
  if (override) {
    // `kustomize edit set image <name>=<reference>`
    const at = override.reference.lastIndexOf(':');
    const rule = {
      name: override.name,
      newName: override.reference.slice(
        0,
        at > override.reference.lastIndexOf('/') ? at : undefined,
      ),
      newTag:
        at > override.reference.lastIndexOf('/')
          ? override.reference.slice(at + 1)
          : undefined,
    };
    const index = images.findIndex(
      (image: KubeDocument) => image.name === override.name,
    );
    if (index >= 0) images[index] = rule;
    else images.push(rule);
  }
  return transform(documents, { ...kustomization, images });
}
