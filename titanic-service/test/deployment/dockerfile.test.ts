import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// There is no Docker daemon here: the image's promises are checked in the Dockerfile itself.
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = () => readFile(`${packageRoot}/Dockerfile`, 'utf8');

function stages(text: string): string[] {
  return text.split(/^FROM /m).slice(1);
}

describe('Dockerfile', () => {
  it('passes dockerfilelint', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['node_modules/dockerfilelint/bin/dockerfilelint', 'Dockerfile'],
      { cwd: packageRoot },
    );
    expect(stdout).toContain('Issues: None found');
  });

  it('builds in one stage and runs from a slim Node 22 stage with production dependencies only', async () => {
    const [build, runtime] = stages(await dockerfile());
    expect(build).toMatch(/^node:22[\w.-]*-slim AS build/);
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build');
    expect(build).toContain('npm prune --omit=dev');
    expect(build).toContain('npm cache clean --force');
    expect(runtime).toMatch(
      /^(node:22[\w.-]*-slim|gcr\.io\/distroless\/nodejs22[\w.-]*) AS runtime/,
    );
    expect(runtime).not.toMatch(/npm (ci|install)/);
    expect(runtime).toContain('COPY --from=build --chown=node:node /app/node_modules');
    expect(runtime).toContain('COPY --chown=node:node migrations ./migrations');
  });

  it('runs as a non-root user with a health check on /health', async () => {
    const runtime = stages(await dockerfile()).at(-1)!;
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD \[.*\/health/m);
    expect(runtime).toMatch(/^EXPOSE 8080$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/server.js"\]$/m);
  });

  it('keeps secrets, data and build output out of the build context', async () => {
    const ignored = (await readFile(`${packageRoot}/.dockerignore`, 'utf8')).split('\n');
    for (const entry of ['node_modules', 'dist', '*.csv', '.git', '.env', 'coverage']) {
      expect(ignored).toContain(entry);
    }
  });
});
