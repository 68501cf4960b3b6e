import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StepInput, StepOutcome } from '../stepTypes';

/*
 * The Build gate, simulated: no image is built. docker/metadata-action's tags are computed by
 * its rules (branch, sha, semver, raw) for the pushed ref; docker/build-push-action reads the
 * Dockerfile of the pushed tree and reports its stages, and where the workflow keeps the image
 * (`outputs: type=docker,dest=…`) writes a manifest of what the image would hold — its base
 * images and the runtime packages of the lock file — which the Trivy gate scans.
 */

/** What the sandbox writes in place of an image archive: what the image would contain. */
export interface ImageManifest {
  sandboxImage: 1;
  tags: string[];
  baseImages: string[];
  packages: Array<{ name: string; version: string }>;
}

function list(value: unknown): string[] {
  return String(value ?? '')
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(Boolean);
}

function attributes(rule: string): Record<string, string> {
  return Object.fromEntries(
    rule.split(',').map(part => {
      const [key, ...value] = part.split('=');
      return [key.trim(), value.join('=').trim()];
    }),
  );
}

/** docker/metadata-action for a push of a branch: the tags its `tags:` rules produce. */
export function metadataTags(input: StepInput): StepOutcome {
  const images = list(input.with.images);
  const rules = String(input.with.tags ?? '')
    .split('\n')
    .map(rule => rule.trim())
    .filter(Boolean);
  const branch = input.facts.branch;
  const tags: string[] = [];
  for (const rule of rules.length > 0
    ? rules
    : ['type=ref,event=branch', 'type=sha']) {
    const spec = attributes(rule);
    const prefix = spec.prefix ?? '';
    const suffix = spec.suffix ?? '';
    if (spec.enable === 'false') continue;
    if (spec.type === 'ref' && spec.event === 'branch')
      tags.push(`${prefix}${branch.replace(/[^A-Za-z0-9_.-]/g, '-')}${suffix}`);
    else if (spec.type === 'sha')
      tags.push(
        `${spec.prefix ?? 'sha-'}${
          spec.format === 'long' ? input.facts.sha : input.facts.sha.slice(0, 7)
        }${suffix}`,
      );
    else if (spec.type === 'raw' && spec.value)
      tags.push(`${prefix}${spec.value}${suffix}`);
    // ref,event=pr|tag, semver and schedule rules match only pull requests, tags or schedules.
  }
  const references = images.flatMap(image =>
    tags.map(tag => `${image}:${tag}`),
  );
  const labels = [
    `org.opencontainers.image.title=${input.facts.repository.split('/')[1]}`,
    `org.opencontainers.image.source=https://github.com/${input.facts.repository}`,
    `org.opencontainers.image.version=${tags[0] ?? ''}`,
    `org.opencontainers.image.revision=${input.facts.sha}`,
  ];
  return {
    lines: [
      "[sandbox] SIMULATED: the tags are computed by docker/metadata-action's rules; no registry is involved.",
      'Processing images input',
      ...images.map(image => `  name=${image},enable=true`),
      'Processing tags input',
      ...rules.map(rule => `  ${rule}`),
      'Docker tags',
      ...references,
      'Docker labels',
      ...labels,
    ],
    conclusion: 'success',
    outputs: {
      tags: references.join('\n'),
      labels: labels.join('\n'),
      version: tags[0] ?? '',
      json: JSON.stringify({ tags: references, labels }),
    },
    simulatedSeconds: 1,
  };
}

function lockPackages(context: string): ImageManifest['packages'] {
  const path = join(context, 'package-lock.json');
  if (!existsSync(path)) return [];
  const lock = JSON.parse(readFileSync(path, 'utf8'));
  return Object.entries(lock.packages ?? {})
    .filter(
      ([key, value]) =>
        key.startsWith('node_modules/') && !(value as { dev?: boolean }).dev,
    )
    .map(([key, value]) => ({
      name: key.slice(
        key.lastIndexOf('node_modules/') + 'node_modules/'.length,
      ),
      version: String((value as { version?: string }).version ?? ''),
    }));
}

export function simulatedBuild(input: StepInput): StepOutcome {
  const context = join(input.workspace, String(input.with.context ?? '.'));
  const dockerfile = input.with.file
    ? join(input.workspace, String(input.with.file))
    : join(context, 'Dockerfile');
  if (!existsSync(dockerfile)) {
    return {
      lines: [
        'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory',
      ],
      conclusion: 'failure',
      exitCode: 1,
      simulatedSeconds: 2,
    };
  }
  const instructions = readFileSync(dockerfile, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'));
  const tags = list(input.with.tags);
  const digest = `sha256:${createHash('sha256')
    .update(`${input.facts.sha}\n${tags.join('\n')}`)
    .digest('hex')}`;
  const baseImages = instructions
    .filter(line => /^FROM\s/i.test(line))
    .map(line => line.split(/\s+/)[1]);
  const lines = [
    "[sandbox] SIMULATED: no image was built; the build steps are the pushed Dockerfile's.",
    '#0 building with "builder" instance using docker-container driver',
    '#1 [internal] load build definition from Dockerfile',
    `#1 transferring dockerfile: ${readFileSync(dockerfile).length}B done`,
    '#1 DONE 0.0s',
  ];
  let stage = '';
  let step = 0;
  const perStage = instructions.reduce<Record<string, number>>(
    (counts, line) => {
      if (/^FROM\s/i.test(line))
        stage =
          line.split(/\s+AS\s+/i)[1] ?? String(Object.keys(counts).length);
      counts[stage] = (counts[stage] ?? 0) + 1;
      return counts;
    },
    {},
  );
  // A second build of the same context in the job finds every layer in the builder's cache.
  const cacheMarker = join(
    input.temp,
    `.buildx-cache-${createHash('sha1').update(context).digest('hex')}`,
  );
  const cached = existsSync(cacheMarker);
  writeFileSync(cacheMarker, digest);
  let index = 1;
  stage = '';
  for (const line of instructions) {
    if (/^FROM\s/i.test(line)) {
      stage = line.split(/\s+AS\s+/i)[1] ?? String(index);
      step = 0;
    }
    step += 1;
    if (!/^(FROM|RUN|COPY|ADD|WORKDIR)\s/i.test(line)) continue;
    index += 1;
    lines.push(
      `#${index} [${stage} ${step}/${perStage[stage]}] ${line}`,
      cached
        ? `#${index} CACHED`
        : `#${index} DONE ${(0.4 + (line.length % 9) / 2).toFixed(1)}s`,
    );
  }
  lines.push(
    `#${index + 1} exporting to image`,
    `#${index + 1} exporting manifest ${digest} done`,
  );
  const destination = /dest=([^,\s]+)/.exec(
    String(input.with.outputs ?? ''),
  )?.[1];
  if (destination) {
    const manifest: ImageManifest = {
      sandboxImage: 1,
      tags,
      baseImages,
      packages: lockPackages(context),
    };
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, JSON.stringify(manifest, null, 2));
    lines.push(`#${index + 1} sending tarball ${destination} done`);
  }
  const push = input.with.push === true || input.with.push === 'true';
  if (push)
    lines.push(
      ...tags.map(
        tag => `#${index + 1} pushing manifest for ${tag}@${digest} done`,
      ),
    );
  lines.push(`#${index + 1} DONE 6.4s`);
  return {
    lines,
    conclusion: 'success',
    outputs: {
      digest,
      imageid: digest,
      metadata: JSON.stringify({ 'containerimage.digest': digest }),
    },
    simulatedSeconds: cached ? 4 : 10 + instructions.length,
  };
}
