import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findObject, renderKustomization } from '../support/kubernetesManifests.js';
import { environments, kustomizeRoot } from '../support/repositoryPaths.js';
import { findServicePackage } from '../support/serviceMetrics.js';

const configMapData = (target: Parameters<typeof renderKustomization>[0]): Record<string, string> =>
  findObject(renderKustomization(target), 'ConfigMap', 'titanic-service').data;

/** What an overlay's own configuration patch sets, before the base fills in the rest. */
function overlaySetting(environment: string, name: string): string | undefined {
  const file = path.join(kustomizeRoot, 'overlays', environment, 'configuration.yaml');
  if (!fs.existsSync(file)) return undefined;
  return (parse(fs.readFileSync(file, 'utf8')) as { data?: Record<string, string> }).data?.[name];
}

describe('the service configuration', () => {
  it('sets only names the service reads (and Node.js its CA bundle)', () => {
    const servicePackage = findServicePackage();
    expect(servicePackage, 'the service package beside infra/').toBeDefined();
    const configSource = fs.readFileSync(path.join(servicePackage!, 'src', 'config.ts'), 'utf8');
    for (const name of Object.keys(configMapData('base'))) {
      if (name === 'NODE_EXTRA_CA_CERTS') continue;
      expect(configSource, `${name} in src/config.ts`).toContain(`'${name}'`);
    }
  });

  it('allows no browser origin in the base, so an environment allows none unless it says so', () => {
    expect(configMapData('base').CORS_ALLOWED_ORIGINS).toBe('');
    for (const environment of environments) {
      expect(configMapData(environment).CORS_ALLOWED_ORIGINS, environment).toBe(
        overlaySetting(environment, 'CORS_ALLOWED_ORIGINS') ?? '',
      );
    }
  });

  it.each(environments)('lets %s name exact origins only: no wildcard, no credentials', environment => {
    const data = configMapData(environment);
    const origins = data.CORS_ALLOWED_ORIGINS.split(',').map(origin => origin.trim()).filter(Boolean);
    for (const origin of origins) {
      expect(origin).not.toContain('*');
      expect(new URL(origin).origin).toBe(origin);
    }
    expect(data.CORS_ALLOW_CREDENTIALS ?? 'false').toBe('false');
  });
});
