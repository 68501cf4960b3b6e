import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/ — the directory holding this package. */
export const infraRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository root: infra/ sits directly under it in the monorepo and in scaffolded repos alike. */
export const repositoryRoot = path.resolve(infraRoot, '..');
export const terraformRoot = path.join(infraRoot, 'terraform');
export const kustomizeRoot = path.join(infraRoot, 'k8s');
export const helmChartRoot = path.join(infraRoot, 'helm', 'titanic-service');
export const monitoringRoot = path.join(infraRoot, 'monitoring');
export const workflowsRoot = path.join(repositoryRoot, '.github', 'workflows');
/** Extracted binaries and scratch files; git-ignored together with node_modules. */
export const toolCacheRoot = path.join(infraRoot, 'node_modules', '.cache', 'titanic-infra');

const promotionOrder = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof promotionOrder)[number];
/**
 * The environments this repository delivers to, in promotion order: those with a Terraform
 * environment. A service scaffolded from this one may leave out dev or staging; prod is always there.
 */
export const environments: readonly Environment[] = promotionOrder.filter(environment =>
  fs.existsSync(path.join(terraformRoot, 'environments', environment)),
);
