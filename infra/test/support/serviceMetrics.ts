import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './commandRunner.js';
import { repositoryRoot } from './repositoryPaths.js';

/**
 * The service's package: titanic-service/ in the platform monorepo, the repository root in a
 * scaffolded service repository. Identified by its metrics:names script.
 */
export function findServicePackage(): string | undefined {
  for (const candidate of [path.join(repositoryRoot, 'titanic-service'), repositoryRoot]) {
    const manifest = path.join(candidate, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const scripts = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    if (scripts['metrics:names']) return candidate;
  }
  return undefined;
}

export type ServiceMetricFamilies =
  | { available: true; families: string[] }
  | { available: false; reason: string };

/** Runs `npm run --silent metrics:names` in the service: it scrapes a live /metrics and prints one family per line. */
export function readServiceMetricFamilies(): ServiceMetricFamilies {
  const servicePackage = findServicePackage();
  if (!servicePackage) return { available: false, reason: 'no package with a metrics:names script found (titanic-service/ or the repository root)' };
  if (!fs.existsSync(path.join(servicePackage, 'node_modules'))) {
    return { available: false, reason: `${servicePackage} has no node_modules: run npm ci there first` };
  }
  const result = runCommand('npm', ['run', '--silent', 'metrics:names'], { cwd: servicePackage });
  if (result.status !== 0) throw new Error(`npm run metrics:names failed in ${servicePackage}:\n${result.stderr}\n${result.stdout}`);
  const families = result.stdout.split('\n').map(line => line.trim()).filter(line => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(line));
  return { available: true, families };
}
