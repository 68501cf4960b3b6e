import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ingestSarif } from '../../../world/codeScanningIngest';
import { ArtifactRecord } from '../../../world/records';
import { addArtifact, recordsOf } from '../../../world/repositoryIndex';
import { iso } from '../../../world/timestamps';
import { StepInput, StepOutcome } from '../stepTypes';
import { listFiles } from './treeFacts';

/*
 * Steps that move files in and out of a job: SARIF uploaded to code scanning
 * (github/codeql-action/upload-sarif), run artifacts (actions/upload-artifact and
 * download-artifact), and the `$GITHUB_OUTPUT`/`$GITHUB_ENV` lines of small scripts.
 */

function inside(input: StepInput, path: string): string {
  return resolve(input.workingDirectory, path);
}

export function uploadSarif(input: StepInput): StepOutcome {
  const file = inside(input, String(input.with.sarif_file ?? 'results.sarif'));
  if (!existsSync(file)) {
    return {
      lines: [`Path does not exist: ${relative(input.workspace, file)}`],
      conclusion: 'failure',
      exitCode: 1,
      simulatedSeconds: 2,
    };
  }
  const upload = ingestSarif(
    input.state,
    JSON.parse(readFileSync(file, 'utf8')),
    {
      repositoryId: input.facts.repositoryId,
      ref: `refs/heads/${input.facts.branch}`,
      commitSha: input.facts.sha,
      at: iso(Date.now()),
      workflowPath: input.facts.workflowPath,
    },
  );
  return {
    lines: [
      `Uploading results`,
      `Processing sarif files: ["${relative(input.workspace, file)}"]`,
      `Successfully uploaded results (${upload.resultsCount} results, upload id ${upload.id})`,
    ],
    conclusion: 'success',
    outputs: { 'sarif-id': upload.id },
    simulatedSeconds: 4,
  };
}

const ARTIFACT_FILE_LIMIT = 512 * 1024;

export function uploadArtifact(input: StepInput): StepOutcome {
  const name = String(input.with.name ?? 'artifact');
  const paths = String(input.with.path ?? '')
    .split('\n')
    .map(path => path.trim())
    .filter(Boolean);
  const files: ArtifactRecord['files'] = [];
  for (const path of paths) {
    const absolute = inside(input, path);
    if (!existsSync(absolute)) continue;
    const entries = statSync(absolute).isDirectory()
      ? listFiles(absolute).map(file => ({
          name: file,
          at: join(absolute, file),
        }))
      : [{ name: relative(dirname(absolute), absolute), at: absolute }];
    for (const entry of entries) {
      if (statSync(entry.at).size > ARTIFACT_FILE_LIMIT) continue;
      files.push({ name: entry.name, content: readFileSync(entry.at, 'utf8') });
    }
  }
  if (files.length === 0) {
    const missing = String(input.with['if-no-files-found'] ?? 'warn');
    const message = `No files were found with the provided path: ${paths.join(
      ', ',
    )}. No artifacts will be uploaded.`;
    return {
      lines: [
        missing === 'error'
          ? `##[error]${message}`
          : `${missing === 'warn' ? '##[warning]' : ''}${message}`,
      ],
      conclusion: missing === 'error' ? 'failure' : 'success',
      exitCode: 1,
      simulatedSeconds: 1,
    };
  }
  const state = input.state;
  state.sequences.artifact += 1;
  const createdAt = iso(Date.now());
  const retention = Number(input.with['retention-days'] ?? 90);
  const sizeInBytes = files.reduce(
    (total, file) => total + Buffer.byteLength(file.content),
    0,
  );
  addArtifact(state, {
    id: state.sequences.artifact,
    repositoryId: input.facts.repositoryId,
    runId: input.facts.runId,
    name,
    files,
    sizeInBytes,
    digest: `sha256:${createHash('sha256')
      .update(files.map(f => f.content).join('\0'))
      .digest('hex')}`,
    createdAt,
    expiresAt: iso(Date.now() + retention * 24 * 3600 * 1000),
  });
  return {
    lines: [
      `With the provided path, there will be ${files.length} file(s) uploaded`,
      `Artifact name is valid!`,
      `Finished uploading artifact content to blob storage!`,
      `Artifact ${name} has been successfully uploaded! Final size is ${sizeInBytes} bytes. Artifact ID is ${state.sequences.artifact}`,
    ],
    conclusion: 'success',
    outputs: { 'artifact-id': String(state.sequences.artifact) },
    simulatedSeconds: 3,
  };
}

export function downloadArtifact(input: StepInput): StepOutcome {
  const name = String(input.with.name ?? '');
  const artifact = recordsOf(input.state, input.facts.repositoryId)
    .artifacts.filter(a => a.runId === input.facts.runId && a.name === name)
    .at(-1);
  if (!artifact) {
    return {
      lines: [
        `##[error]Unable to download artifact(s): Artifact not found for name: ${name}`,
      ],
      conclusion: 'failure',
      exitCode: 1,
      simulatedSeconds: 1,
    };
  }
  const target = inside(input, String(input.with.path ?? '.'));
  for (const file of artifact.files) {
    const path = join(target, file.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  return {
    lines: [
      `Downloading single artifact`,
      `Preparing to download the following artifacts:`,
      `- ${name} (ID: ${artifact.id}, Size: ${artifact.sizeInBytes})`,
      `Artifact download completed successfully.`,
    ],
    conclusion: 'success',
    outputs: { 'download-path': target },
    simulatedSeconds: 2,
  };
}

const WRITE =
  /^echo\s+"(\w[\w-]*)=(.*)"\s*>>\s*"?\$\{?(GITHUB_OUTPUT|GITHUB_ENV)\}?"?\s*$/;

/** `$VAR`, `${VAR}` and `$(grep -m1 'text' <<<"$VAR")` in a double-quoted shell word. */
function expand(value: string, env: Record<string, string>): string {
  return value
    .replace(
      /\$\(grep -m1 '([^']*)' <<<"\$\{?(\w+)\}?"\)/g,
      (_, text: string, name: string) =>
        (env[name] ?? '').split('\n').find(line => line.includes(text)) ?? '',
    )
    .replace(/\$\{?(\w+)\}?/g, (_, name: string) => env[name] ?? '');
}

/**
 * The `echo "name=value" >> "$GITHUB_OUTPUT"` (or `$GITHUB_ENV`) lines of a script, evaluated;
 * null when the script writes neither. The rest of the script does not run.
 */
export function scriptWrites(
  script: string,
  env: Record<string, string>,
): {
  outputs: Record<string, string>;
  env: Record<string, string>;
  other: string[];
} | null {
  const outputs: Record<string, string> = {};
  const exported: Record<string, string> = {};
  const other: string[] = [];
  let writes = 0;
  for (const line of script
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))) {
    const match = WRITE.exec(line);
    if (!match) {
      other.push(line);
      continue;
    }
    writes += 1;
    const value = expand(match[2], { ...env, ...exported });
    if (match[3] === 'GITHUB_OUTPUT') outputs[match[1]] = value;
    else exported[match[1]] = value;
  }
  return writes > 0 ? { outputs, env: exported, other } : null;
}
