import { spawn } from 'node:child_process';

/*
 * Reads a bare repository with the real `git` (2.39+): refs, trees, blobs and archives are
 * whatever was pushed, so the REST contents API and a clone always agree.
 */

export interface GitRunOptions {
  cwd: string;
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
}

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited with ${exitCode}: ${stderr.trim()}`);
  }
}

/** Runs `git <args>` and resolves with its stdout; rejects with GitCommandError on a non-zero exit. */
export function runGit(
  args: readonly string[],
  options: GitRunOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) resolve(Buffer.concat(stdout));
      else
        reject(
          new GitCommandError(
            args,
            code,
            Buffer.concat(stderr).toString('utf8'),
          ),
        );
    });
    child.stdin.on('error', () => {
      // git may exit before reading all of its input (e.g. a missing object); the exit code says why.
    });
    child.stdin.end(options.input);
  });
}

export interface TreeEntry {
  /** `blob`, `tree` or `commit` (a submodule). */
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  sha: string;
  /** Bytes of a blob; 0 for trees and submodules. */
  size: number;
  name: string;
  /** Path from the repository root. */
  path: string;
}

export interface CommitInfo {
  sha: string;
  treeSha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committerDate: string;
  message: string;
}

/** `git log -z` fields of a commit, NUL-separated; each record ends with a NUL too. */
const COMMIT_FORMAT =
  '%H%x00%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B';
const COMMIT_FIELDS = 10;

function parseCommits(output: Buffer): CommitInfo[] {
  const fields = output.toString('utf8').split('\0');
  const commits: CommitInfo[] = [];
  for (let at = 0; at + COMMIT_FIELDS <= fields.length; at += COMMIT_FIELDS) {
    const [
      sha,
      treeSha,
      parents,
      authorName,
      authorEmail,
      authorDate,
      committerName,
      committerEmail,
      committerDate,
      message,
    ] = fields.slice(at, at + COMMIT_FIELDS);
    commits.push({
      sha,
      treeSha,
      parents: parents ? parents.split(' ') : [],
      authorName,
      authorEmail,
      authorDate,
      committerName,
      committerEmail,
      committerDate,
      message: message.replace(/\n+$/, ''),
    });
  }
  return commits;
}

/** Refs and paths come from URLs: never let one be read as an option. */
function safeRevision(value: string): boolean {
  return value.length > 0 && !value.startsWith('-') && !/[\s\0]/.test(value);
}

function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

export class BareRepository {
  constructor(readonly path: string) {}

  private git(args: readonly string[], input?: string): Promise<Buffer> {
    return runGit(args, { cwd: this.path, input });
  }

  static async init(
    path: string,
    defaultBranch: string,
  ): Promise<BareRepository> {
    await runGit(
      ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, path],
      { cwd: '/' },
    );
    const repository = new BareRepository(path);
    // Served through `git http-backend`: allow pushes over HTTP (authorization happens before).
    await repository.git(['config', 'http.receivepack', 'true']);
    return repository;
  }

  /** Points HEAD (the default branch) at `branch`. */
  async setHead(branch: string): Promise<void> {
    await this.git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  /** Commit sha of a branch, tag or (abbreviated) commit sha; null when it names nothing. */
  async resolveCommit(ref: string): Promise<string | null> {
    if (!safeRevision(ref)) return null;
    const candidates = /^[0-9a-f]{4,40}$/i.test(ref)
      ? [ref, `refs/heads/${ref}`]
      : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
    for (const candidate of candidates) {
      try {
        const sha = await this.git([
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${candidate}^{commit}`,
        ]);
        return sha.toString('utf8').trim();
      } catch {
        // Try the next spelling.
      }
    }
    return null;
  }

  /** Creates `refs/<name>` at `sha`; false when the ref exists already. */
  async createRef(name: string, sha: string): Promise<boolean> {
    if (!safeRevision(name) || !safeRevision(sha)) return false;
    try {
      // An empty old value makes update-ref refuse to overwrite an existing ref.
      await this.git(['update-ref', '--no-deref', `refs/${name}`, sha, '']);
      return true;
    } catch {
      return false;
    }
  }

  /** Branch name → commit sha. */
  async branches(): Promise<Map<string, string>> {
    const output = await this.git([
      'for-each-ref',
      '--format=%(refname:strip=2) %(objectname)',
      'refs/heads',
    ]);
    const branches = new Map<string, string>();
    for (const line of output.toString('utf8').split('\n')) {
      const [name, sha] = line.split(' ');
      if (name && sha) branches.set(name, sha);
    }
    return branches;
  }

  async commit(sha: string): Promise<CommitInfo> {
    const output = await this.git([
      'show',
      '-s',
      '-z',
      `--format=${COMMIT_FORMAT}`,
      '--end-of-options',
      sha,
    ]);
    return parseCommits(output)[0];
  }

  /** Commits reachable from `head` and, when given, not from `exclude`: newest first, as `git log` lists them. */
  async history(head: string, exclude?: string): Promise<CommitInfo[]> {
    const output = await this.git([
      'log',
      '-z',
      `--format=${COMMIT_FORMAT}`,
      '--end-of-options',
      head,
      ...(exclude ? [`^${exclude}`] : []),
      '--',
    ]);
    return parseCommits(output);
  }

  /** How many commits are reachable from `head` and not from `exclude`. */
  async countReachable(head: string, exclude: string): Promise<number> {
    const output = await this.git([
      'rev-list',
      '--count',
      '--end-of-options',
      head,
      `^${exclude}`,
      '--',
    ]);
    return Number(output.toString('utf8').trim());
  }

  /** The best common ancestor of two commits; null when their histories never meet. */
  async mergeBase(first: string, second: string): Promise<string | null> {
    try {
      const output = await this.git([
        'merge-base',
        '--end-of-options',
        first,
        second,
      ]);
      return output.toString('utf8').trim();
    } catch (error) {
      // merge-base exits 1, printing nothing, for unrelated histories.
      if (error instanceof GitCommandError && error.exitCode === 1) return null;
      throw error;
    }
  }

  /** The entry at `path` in `commitSha` (the root tree for ''), or null when there is none. */
  async entry(commitSha: string, path: string): Promise<TreeEntry | null> {
    const clean = normalizePath(path);
    if (clean === '') {
      const commit = await this.commit(commitSha);
      return {
        type: 'tree',
        mode: '040000',
        sha: commit.treeSha,
        size: 0,
        name: '',
        path: '',
      };
    }
    const output = await this.git([
      'ls-tree',
      '-l',
      '-z',
      '--full-tree',
      '--end-of-options',
      commitSha,
      '--',
      clean,
    ]);
    const entries = parseTree(output, '').map(e => ({ ...e, path: e.name }));
    const found = entries.find(e => e.path === clean);
    if (!found) return null;
    return { ...found, name: clean.split('/').at(-1)! };
  }

  /** Entries of the tree `treeSha`, their paths under `parentPath`. */
  async list(treeSha: string, parentPath: string): Promise<TreeEntry[]> {
    const output = await this.git([
      'ls-tree',
      '-l',
      '-z',
      '--end-of-options',
      treeSha,
    ]);
    return parseTree(output, normalizePath(parentPath));
  }

  async blob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha]);
  }

  /** The file at `path` in `ref`, or null when the ref or the file does not exist. */
  async readFile(path: string, ref = 'HEAD'): Promise<Buffer | null> {
    const sha = await this.resolveCommit(ref);
    if (!sha) return null;
    const found = await this.entry(sha, path);
    if (!found || found.type !== 'blob') return null;
    return this.blob(found.sha);
  }

  /** `git archive` of a commit as GitHub's tarball: one top directory `<prefix>/`. */
  async tarball(commitSha: string, prefix: string): Promise<Buffer> {
    return this.git([
      'archive',
      '--format=tar.gz',
      `--prefix=${prefix}/`,
      '--end-of-options',
      commitSha,
    ]);
  }
}

function parseTree(output: Buffer, parentPath: string): TreeEntry[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map(record => {
      // "<mode> SP <type> SP <object> SP+ <size> TAB <name>"
      const tab = record.indexOf('\t');
      const [mode, type, sha, size] = record.slice(0, tab).split(/\s+/);
      const name = record.slice(tab + 1);
      return {
        mode,
        type: type as TreeEntry['type'],
        sha,
        size: size === '-' ? 0 : Number(size),
        name,
        path: parentPath ? `${parentPath}/${name}` : name,
      };
    });
}
