import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  REFERENCE_EXCLUDES,
  REFERENCE_INCLUDES,
} from '@internal/plugin-scaffolder-backend-module-titanic';

// There is no Docker daemon here: the image's promises are checked in the Dockerfile itself, and
// scripts/prove-bundle starts the runtime tree it assembles.
const repositoryRoot = path.resolve(__dirname, '../../..');
const read = (file: string) =>
  fs.readFileSync(path.join(repositoryRoot, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** The Dockerfile's instructions (continuation lines joined, comments dropped), by stage. */
function parseDockerfile(text: string): {
  args: Instruction[];
  stages: Stage[];
} {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'))
    .map(line => {
      const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line)!;
      return {
        keyword: keyword.toUpperCase(),
        args: args.replace(/\s+/g, ' '),
      };
    });
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [, base, name] = /^(\S+) AS (\S+)$/i.exec(instruction.args)!;
      stages.push({ name, base, instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

const { args, stages } = parseDockerfile(read('packages/backend/Dockerfile'));
const stage = (name: string) =>
  stages.find(candidate => candidate.name === name)!;
const runs = (name: string) =>
  stage(name)
    .instructions.filter(({ keyword }) => keyword === 'RUN')
    .map(({ args: command }) => command);

interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

function copies(stageName: string): Copy[] {
  return stage(stageName)
    .instructions.filter(({ keyword }) => keyword === 'COPY')
    .map(({ args: copyArgs }) => {
      const words = copyArgs.split(' ');
      const flags = words.filter(word => word.startsWith('--'));
      const paths = words.filter(word => !word.startsWith('--'));
      const from = flags.find(flag => flag.startsWith('--from='));
      return {
        from: from?.slice('--from='.length),
        sources: paths.slice(0, -1),
        destination: paths[paths.length - 1],
      };
    });
}

const contextSources = (stageName: string) =>
  copies(stageName)
    .filter(copy => !copy.from)
    .flatMap(copy => copy.sources);

describe('packages/backend/Dockerfile', () => {
  it('builds every stage on the Node release scripts/env.sh pins for the repository', () => {
    const pinned = /^TITANIC_NODE_VERSION=(\S+)$/m.exec(
      read('scripts/env.sh'),
    )![1];
    expect(args).toEqual([
      {
        keyword: 'ARG',
        args: `NODE_IMAGE=node:${pinned}-bookworm-slim`,
      },
    ]);
    expect(pinned).toMatch(/^22\./);
    for (const { base } of stages) expect(base).toBe('${NODE_IMAGE}');
  });

  it('has separate stages for manifests, the build, production dependencies and the runtime, last', () => {
    expect(stages.map(({ name }) => name)).toEqual([
      'manifests',
      'build',
      'production-dependencies',
      'runtime',
    ]);
  });

  it('builds from source inside the image: yarn install --immutable with the committed yarn release, tsc, build:backend', () => {
    const yarnPath = /^yarnPath: (\S+)$/m.exec(read('.yarnrc.yml'))![1];
    expect(fs.existsSync(path.join(repositoryRoot, yarnPath))).toBe(true);
    expect(contextSources('build')).toEqual(
      expect.arrayContaining(['.yarnrc.yml', 'yarn.lock', '.yarn/releases']),
    );
    const commands = runs('build').join('\n');
    expect(commands).toMatch(/yarn install --immutable/);
    expect(commands).toMatch(/yarn tsc && yarn build:backend/);
  });

  it('needs no step on the host: nothing built is taken from the build context', () => {
    for (const { name } of stages) {
      for (const source of contextSources(name)) {
        expect(source).not.toMatch(
          /(^|\/)(dist|node_modules)(\/|$)|\.tar\.gz$/,
        );
      }
    }
  });

  it('installs production dependencies only, from the bundle skeleton, leaving the compilers behind', () => {
    expect(copies('production-dependencies')).toContainEqual({
      from: 'build',
      sources: ['/skeleton/'],
      destination: './',
    });
    expect(runs('production-dependencies').join('\n')).toMatch(
      /yarn workspaces focus --all --production/,
    );
    const runtime = runs('runtime').join('\n');
    expect(runtime).not.toMatch(/yarn (install|workspaces)|g\+\+|\bmake\b/);
    expect(
      copies('runtime')
        .filter(copy => copy.from)
        .map(({ from, sources }) => [from, ...sources]),
    ).toEqual([
      ['production-dependencies', '/app'],
      ['build', '/bundle/'],
    ]);
  });

  it('unpacks the bundle as scripts/prove-bundle does', () => {
    const unpack = (archive: string) =>
      new RegExp(
        `tar --no-overwrite-dir -xzf packages/backend/dist/${archive}\\.tar\\.gz -C`,
      );
    const build = runs('build').join('\n');
    const proof = read('scripts/prove-bundle');
    for (const archive of ['skeleton', 'bundle']) {
      expect(build).toMatch(unpack(archive));
      expect(proof).toMatch(unpack(archive));
    }
  });

  it('runs as a non-root numeric user, with a health check on the readiness endpoint', () => {
    const runtime = stage('runtime').instructions;
    const users = runtime.filter(({ keyword }) => keyword === 'USER');
    expect(users).toHaveLength(1);
    const [user, group] = users[0].args.split(':').map(Number);
    expect(user).toBeGreaterThanOrEqual(10000);
    expect(group).toBeGreaterThanOrEqual(10000);
    const healthcheck = runtime.find(
      ({ keyword }) => keyword === 'HEALTHCHECK',
    );
    expect(healthcheck?.args).toContain(
      'http://127.0.0.1:7007/.backstage/health/v1/readiness',
    );
    expect(runtime).toContainEqual({ keyword: 'EXPOSE', args: '7007' });
  });

  it('starts the backend in packages/backend with the production configuration layered', () => {
    const runtime = stage('runtime').instructions;
    const workdirs = runtime.filter(({ keyword }) => keyword === 'WORKDIR');
    expect(workdirs[workdirs.length - 1].args).toBe('/app/packages/backend');
    expect(runtime[runtime.length - 1]).toEqual({
      keyword: 'CMD',
      args: '["node", ".", "--config", "../../app-config.yaml", "--config", "../../app-config.production.yaml"]',
    });
  });

  it('copies only sources that exist in the repository and that .dockerignore keeps', () => {
    const sources = stages.flatMap(({ name }) => contextSources(name));
    for (const source of sources) {
      expect(fs.existsSync(path.join(repositoryRoot, source))).toBe(true);
    }
    const dropped = execFileSync(
      'git',
      [
        'ls-files',
        '--cached',
        '--ignored',
        '--exclude-from=.dockerignore',
        '--',
        // `COPY . .` among them: every tracked file but the portal's chart reaches the build.
        ...sources,
      ],
      { cwd: repositoryRoot, encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean)
      // Deliberately left out: the portal's chart deploys the image and is no part of it.
      .filter(
        file =>
          !REFERENCE_EXCLUDES.some(({ path: excluded }) =>
            file.startsWith(excluded),
          ),
      );
    expect(dropped).toEqual([]);
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', '.tools', '**/node_modules', '**/dist']) {
      expect(ignored).toContain(entry);
    }
  });

  it('ships the reference files the golden-path template copies, with titanic.scaffolder.sourceRoot on them', () => {
    const environment = stage('runtime')
      .instructions.filter(({ keyword }) => keyword === 'ENV')
      .map(({ args: assignments }) => assignments)
      .join(' ');
    expect(environment).toContain(
      'APP_CONFIG_titanic_scaffolder_sourceRoot=/app',
    );
    const shipped = contextSources('runtime');
    for (const include of REFERENCE_INCLUDES) {
      const file = include.replace(/\/$/, '');
      expect(
        shipped.some(
          source => file === source || file.startsWith(`${source}/`),
        ),
      ).toBe(true);
    }
    // The portal's own chart is no reference file, and the build context leaves it out.
    for (const { path: excluded } of REFERENCE_EXCLUDES) {
      expect(read('.dockerignore').split('\n')).toContain(
        excluded.replace(/\/$/, ''),
      );
    }
  });

  it('ships beside the bundle exactly the files scripts/prove-bundle starts it with', () => {
    const listed = /^runtime_files=\(([^)]*)\)/m.exec(
      read('scripts/prove-bundle'),
    )![1];
    expect([...contextSources('runtime')].sort()).toEqual(
      listed.split(/\s+/).filter(Boolean).sort(),
    );
  });

  it("keeps the runtime's writable state in /tmp, and installs Debian's mkdocs for TechDocs", () => {
    const runtime = stage('runtime').instructions;
    const environment = runtime
      .filter(({ keyword }) => keyword === 'ENV')
      .map(({ args: assignments }) => assignments)
      .join(' ');
    expect(environment).toContain('HOME=/tmp');
    expect(environment).toContain('TMPDIR=/tmp');
    expect(runs('runtime').join('\n')).toMatch(
      /apt-get install -y --no-install-recommends mkdocs mkdocs-material/,
    );
  });
});
