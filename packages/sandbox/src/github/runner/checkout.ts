import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { BareRepository } from '../hosting/bareRepository';
import {
  WorkflowFile,
  WorkflowSyntaxError,
  parseWorkflow,
} from './workflowSyntax';

/*
 * The pushed tree as the runner sees it: its workflow files, read from the bare repository at
 * the pushed commit, and a job's checkout (`git archive | tar -x`, no .git, like a shallow
 * actions/checkout).
 */

const WORKFLOWS = '.github/workflows';

export interface WorkflowFiles {
  workflows: WorkflowFile[];
  /** Files GitHub would refuse to run, with why. */
  invalid: Array<{ path: string; error: string }>;
  read(path: string): WorkflowFile | null;
}

export async function readWorkflows(
  git: BareRepository,
  sha: string,
): Promise<WorkflowFiles> {
  const directory = await git.entry(sha, WORKFLOWS);
  const texts = new Map<string, string>();
  if (directory?.type === 'tree') {
    for (const entry of await git.list(directory.sha, WORKFLOWS)) {
      if (entry.type === 'blob' && /\.ya?ml$/.test(entry.name))
        texts.set(entry.path, (await git.blob(entry.sha)).toString('utf8'));
    }
  }
  const workflows: WorkflowFile[] = [];
  const invalid: WorkflowFiles['invalid'] = [];
  for (const [path, text] of texts) {
    try {
      workflows.push(parseWorkflow(path, text));
    } catch (error) {
      if (!(error instanceof WorkflowSyntaxError)) throw error;
      invalid.push({ path, error: error.message });
    }
  }
  return {
    workflows,
    invalid,
    read: path => workflows.find(workflow => workflow.path === path) ?? null,
  };
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
}

/** Extracts the tree of `sha` into `directory`. */
export async function exportTree(
  git: BareRepository,
  sha: string,
  directory: string,
): Promise<void> {
  mkdirSync(directory, { recursive: true });
  const archive = spawn('git', ['archive', '--format=tar', sha], {
    cwd: git.path,
  });
  const extract = spawn('tar', ['-x', '-C', directory]);
  archive.stdout!.pipe(extract.stdin!);
  const [archived, extracted] = await Promise.all([
    exited(archive),
    exited(extract),
  ]);
  if (archived !== 0 || extracted !== 0)
    throw new Error(
      `git archive ${sha} | tar -x exited with ${archived}/${extracted}`,
    );
}
