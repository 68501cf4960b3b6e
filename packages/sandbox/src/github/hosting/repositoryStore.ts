import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BareRepository } from './bareRepository';

/*
 * Repositories created through the API (POST /orgs/{org}/repos, POST /user/repos): their
 * settings in memory and their content in real bare repositories under a temporary directory
 * the server owns and removes on close.
 */

export interface BranchProtectionRecord {
  requiredStatusChecks: { strict: boolean; contexts: string[] } | null;
  enforceAdmins: boolean;
  requiredPullRequestReviews: {
    requiredApprovingReviewCount: number;
    requireCodeOwnerReviews: boolean;
    dismissStaleReviews: boolean;
    requireLastPushApproval: boolean;
  } | null;
  requiredLinearHistory: boolean;
  requiredConversationResolution: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  blockCreations: boolean;
}

export interface HostedRepositoryRecord {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  homepage: string | null;
  private: boolean;
  /** The branch HEAD names; GitHub moves it to the first branch pushed to an empty repository. */
  defaultBranch: string;
  topics: string[];
  hasIssues: boolean;
  hasProjects: boolean;
  hasWiki: boolean;
  allowMergeCommit: boolean;
  allowSquashMerge: boolean;
  allowRebaseMerge: boolean;
  allowAutoMerge: boolean;
  allowUpdateBranch: boolean;
  deleteBranchOnMerge: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  branchProtection: Record<string, BranchProtectionRecord>;
}

/** A push that updated one branch of a hosted repository. */
export interface RepositoryPush {
  owner: string;
  repo: string;
  branch: string;
  /** Commit sha before the push; null when the push created the branch. */
  before: string | null;
  /** Commit sha after the push; null when the push deleted the branch. */
  after: string | null;
  /** The branch is the repository's default branch. */
  defaultBranch: boolean;
  pusher: string;
}

export type NewRepository = Pick<HostedRepositoryRecord, 'owner' | 'name'> &
  Partial<Omit<HostedRepositoryRecord, 'id' | 'owner' | 'name'>>;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function key(owner: string, name: string): string {
  return `${owner.toLowerCase()}/${name.toLowerCase()}`;
}

export class RepositoryStore {
  private records = new Map<string, HostedRepositoryRecord>();
  private root: string | undefined;
  private nextId = 900_000_001;
  private listeners: Array<(push: RepositoryPush) => void> = [];

  private directory(): string {
    this.root ??= mkdtempSync(join(tmpdir(), 'titanic-sandbox-git-'));
    return this.root;
  }

  find(owner: string, name: string): HostedRepositoryRecord | undefined {
    return this.records.get(key(owner, name));
  }

  list(): HostedRepositoryRecord[] {
    return [...this.records.values()];
  }

  /** Directory of the bare repository, `<root>/<owner>/<name>.git` (what GIT_PROJECT_ROOT serves). */
  barePath(record: HostedRepositoryRecord): string {
    return join(
      this.directory(),
      record.owner.toLowerCase(),
      `${record.name.toLowerCase()}.git`,
    );
  }

  /** Path of a repository below the project root, as `git http-backend` expects in PATH_INFO. */
  projectPath(record: HostedRepositoryRecord): string {
    return `/${record.owner.toLowerCase()}/${record.name.toLowerCase()}.git`;
  }

  projectRoot(): string {
    return this.directory();
  }

  git(record: HostedRepositoryRecord): BareRepository {
    return new BareRepository(this.barePath(record));
  }

  async create(input: NewRepository): Promise<HostedRepositoryRecord> {
    const now = iso(Date.now());
    const record: HostedRepositoryRecord = {
      description: null,
      homepage: null,
      private: true,
      defaultBranch: 'main',
      topics: [],
      hasIssues: true,
      hasProjects: true,
      hasWiki: true,
      allowMergeCommit: true,
      allowSquashMerge: true,
      allowRebaseMerge: true,
      allowAutoMerge: false,
      allowUpdateBranch: false,
      deleteBranchOnMerge: false,
      createdAt: now,
      updatedAt: now,
      pushedAt: null,
      branchProtection: {},
      ...input,
      id: this.nextId++,
    };
    mkdirSync(join(this.directory(), record.owner.toLowerCase()), {
      recursive: true,
    });
    await BareRepository.init(this.barePath(record), record.defaultBranch);
    this.records.set(key(record.owner, record.name), record);
    return record;
  }

  onPush(listener: (push: RepositoryPush) => void): void {
    this.listeners.push(listener);
  }

  /** Records what a receive-pack changed: pushed_at, the default branch of a first push, listeners. */
  async recordPush(
    record: HostedRepositoryRecord,
    before: Map<string, string>,
    pusher: string,
  ): Promise<RepositoryPush[]> {
    const git = this.git(record);
    const after = await git.branches();
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      branch => before.get(branch) !== after.get(branch),
    );
    if (changed.length === 0) return [];
    record.pushedAt = iso(Date.now());
    record.updatedAt = record.pushedAt;
    if (before.size === 0 && !after.has(record.defaultBranch)) {
      // The first push into an empty repository makes its branch the default, as on GitHub.
      const first = after.has('main') ? 'main' : [...after.keys()].sort()[0];
      if (first) {
        await git.setHead(first);
        record.defaultBranch = first;
      }
    }
    const pushes = changed.map(branch => ({
      owner: record.owner,
      repo: record.name,
      branch,
      before: before.get(branch) ?? null,
      after: after.get(branch) ?? null,
      defaultBranch: branch === record.defaultBranch,
      pusher,
    }));
    for (const push of pushes) {
      for (const listener of this.listeners) listener(push);
    }
    return pushes;
  }

  /** Forgets every hosted repository and deletes its bare repository. */
  clear(): void {
    this.records.clear();
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }

  close(): void {
    this.clear();
    this.listeners = [];
  }
}
