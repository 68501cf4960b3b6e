import fs from 'node:fs';
import path from 'node:path';

/**
 * What a new service copies from the reference, relative to the source root. Directories are
 * walked recursively. Everything else in the portal repository (packages/, plugins/, catalog/,
 * the portal's own ci.yml) is the portal, not the service.
 */
export const REFERENCE_INCLUDES: string[] = [
  'titanic-service/',
  'infra/',
  '.github/workflows/titanic-service.yml',
  '.github/workflows/reusable-gitleaks.yml',
  '.github/workflows/reusable-checkov.yml',
  '.github/workflows/reusable-sonarcloud.yml',
  '.github/workflows/reusable-trivy.yml',
  // The pipeline's Gitleaks gate and infra's secret-scan test read it from the repository root.
  '.gitleaks.toml',
  // TechDocs: backstage.io/techdocs-ref dir:. builds the site from mkdocs.yml and docs/.
  'mkdocs.yml',
  'docs/',
];

/**
 * Directories inside an include that are the portal's, not the service's: never copied.
 */
export const REFERENCE_EXCLUDES: { path: string; why: string }[] = [
  {
    path: 'infra/portal/',
    why: "the portal's own Helm chart and its tests: they deploy the portal, not the service",
  },
];

/**
 * Names skipped wherever they occur. Each is produced on the machine, never authored: the new
 * repository would carry stale or machine-specific copies, and they are all git-ignored.
 */
export const REFERENCE_IGNORES: { name: RegExp; why: string }[] = [
  {
    name: /^node_modules$/,
    why: 'installed dependencies; npm ci restores them',
  },
  { name: /^dist$/, why: 'TypeScript build output' },
  { name: /^coverage$/, why: 'vitest coverage report of a local run' },
  { name: /^test-results$/, why: 'test reports of a local run' },
  { name: /^test-output$/, why: "infra tests' scratch output" },
  { name: /^\.terraform$/, why: 'Terraform provider and module cache' },
  { name: /^\.bench$/, why: "the reference's benchmark measurements" },
  { name: /\.log$/, why: 'logs of local runs' },
  {
    name: /^titanic\.csv$/,
    why: 'the data set is shared, never committed (the service reads it from TITANIC_CSV)',
  },
  { name: /^\.DS_Store$/, why: 'macOS Finder metadata' },
];

export function isIgnored(name: string): boolean {
  return REFERENCE_IGNORES.some(({ name: pattern }) => pattern.test(name));
}

function isExcludedDirectory(relativeDirectory: string): boolean {
  return REFERENCE_EXCLUDES.some(
    ({ path: excluded }) => excluded === relativeDirectory,
  );
}

/** Reference files as posix paths relative to `sourceRoot`, sorted. */
export async function listReferenceFiles(
  sourceRoot: string,
): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string) => {
    const entries = await fs.promises.readdir(path.join(sourceRoot, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (isIgnored(entry.name)) continue;
      const child = `${relative}${entry.name}`;
      if (entry.isDirectory()) {
        if (!isExcludedDirectory(`${child}/`)) await walk(`${child}/`);
      } else if (entry.isFile()) files.push(child);
    }
  };
  for (const include of REFERENCE_INCLUDES) {
    if (include.endsWith('/')) await walk(include);
    else files.push(include);
  }
  return files.sort();
}

/**
 * The portal repository root: the nearest directory above `start` holding the reference service
 * (titanic-service/package.json and infra/).
 */
export function findPortalRoot(start: string): string | undefined {
  let directory = path.resolve(start);
  for (;;) {
    if (
      fs.existsSync(path.join(directory, 'titanic-service', 'package.json')) &&
      fs.existsSync(path.join(directory, 'infra'))
    ) {
      return directory;
    }
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}
