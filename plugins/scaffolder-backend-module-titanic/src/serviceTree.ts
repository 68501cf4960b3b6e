import fs from 'node:fs';
import path from 'node:path';
import { pruneEnvironments } from './environmentPruning';
import { listReferenceFiles } from './referenceManifest';
import { ServiceRenamer } from './renaming';
import { ServiceFile } from './serviceFile';
import { ServiceParameters } from './serviceParameters';

const isText = (content: Buffer) => !content.includes(0);

/**
 * Reads the reference from `sourceRoot`, renames every path and text file to `target` and drops
 * the environments it does not use.
 */
export async function renderServiceTree(
  sourceRoot: string,
  target: ServiceParameters,
): Promise<ServiceFile[]> {
  const renamer = new ServiceRenamer(target);
  const referencePaths = await listReferenceFiles(sourceRoot);
  const files = await Promise.all(
    referencePaths.map(async referencePath => {
      const absolute = path.join(sourceRoot, referencePath);
      const [content, stat] = await Promise.all([
        fs.promises.readFile(absolute),
        fs.promises.stat(absolute),
      ]);
      return {
        path: renamer.renamePath(referencePath),
        referencePath,
        content: isText(content)
          ? Buffer.from(
              renamer.renameText(content.toString('utf8'), referencePath),
              'utf8',
            )
          : content,
        // eslint-disable-next-line no-bitwise
        executable: (stat.mode & 0o111) !== 0,
      };
    }),
  );
  return pruneEnvironments(files, target);
}

/** Writes the tree under `directory`, keeping executable bits (bench/run.sh). */
export async function writeServiceTree(
  directory: string,
  files: ServiceFile[],
): Promise<void> {
  for (const file of files) {
    const destination = path.resolve(directory, file.path);
    if (!destination.startsWith(path.resolve(directory) + path.sep)) {
      throw new Error(`refusing to write outside the workspace: ${file.path}`);
    }
    await fs.promises.mkdir(path.dirname(destination), { recursive: true });
    await fs.promises.writeFile(destination, file.content, {
      mode: file.executable ? 0o755 : 0o644,
    });
  }
}
