import { appsOf } from './appSeed';
import { readFileSync, writeFileSync } from 'node:fs';
import { seedServiceHistories } from '../history/serviceHistories';
import { WorldState } from './records';
import { REUSABLE_WORKFLOWS } from './pipeline';
import { createSeedWorld } from './seedWorld';

/** Snapshots written before records said which repository they belong to: all were the seeded one's. */
function belongToSeededRepository(state: WorldState): void {
  const id = state.repository.id;
  for (const list of [
    state.commits,
    state.workflows,
    state.runs,
    state.environments,
    state.deployments,
    state.artifacts,
    state.sarifUploads,
    state.analyses,
    state.alerts,
  ] as Array<Array<{ repositoryId?: number }>>) {
    for (const record of list) record.repositoryId ??= id;
  }
  for (const run of state.runs) run.referencedWorkflows ??= REUSABLE_WORKFLOWS;
}

/**
 * The in-memory world the GitHub and SonarCloud servers share. Starts from the deterministic
 * seed or a JSON snapshot; `save`/`toJSON` write the current state (approvals, re-runs and
 * uploads included) so it can be loaded again.
 */
export class SandboxWorld {
  private constructor(
    public state: WorldState,
    private readonly initial: () => WorldState,
  ) {}

  /** The seed, with the services' histories ending at `historyEndsAt` (default: now). */
  static seeded(options: { historyEndsAt?: number } = {}): SandboxWorld {
    const end = options.historyEndsAt ?? Date.now();
    const create = () => ({
      ...createSeedWorld(),
      serviceHistories: seedServiceHistories(end),
    });
    return new SandboxWorld(create(), create);
  }

  static fromSnapshot(json: string): SandboxWorld {
    const parse = () => {
      const state = JSON.parse(json) as WorldState;
      if (state.version !== 1)
        throw new Error(
          `Unsupported sandbox snapshot version ${state.version}`,
        );
      // Snapshots written before code-scanning analyses were recorded.
      state.analyses ??= [];
      state.sequences.analysis ??= 870_000_000;
      // Snapshots written before the organisation's members were recorded.
      state.organizationMembers ??= [];
      belongToSeededRepository(state);
      state.sequences.workflow ??= 118_100_000;
      state.sequences.environment ??= 4_210_000_000;
      // Snapshots written before webhooks were kept.
      state.hooks ??= [];
      state.sequences.hook ??= 512_000_000;
      // Snapshots written before GitHub Apps were kept.
      appsOf(state);
      return state;
    };
    return new SandboxWorld(parse(), parse);
  }

  static load(path: string): SandboxWorld {
    return SandboxWorld.fromSnapshot(readFileSync(path, 'utf8'));
  }

  /**
   * The state a snapshot holds. Repositories created through the API are left out with their
   * records: their git content lives in temporary bare repositories no snapshot holds. Generated
   * repositories are left out too: their generator makes them again.
   */
  persistedState(): WorldState {
    const id = this.state.repository.id;
    const own = <T extends { repositoryId: number }>(records: T[]) =>
      records.filter(record => record.repositoryId === id);
    const runIds = new Set(own(this.state.runs).map(run => run.id));
    return {
      ...this.state,
      generatedRepositories: [],
      commits: own(this.state.commits),
      workflows: own(this.state.workflows),
      runs: own(this.state.runs),
      jobs: this.state.jobs.filter(job => runIds.has(job.runId)),
      approvals: this.state.approvals.filter(a => runIds.has(a.runId)),
      environments: own(this.state.environments),
      deployments: own(this.state.deployments),
      artifacts: own(this.state.artifacts),
      sarifUploads: own(this.state.sarifUploads),
      analyses: own(this.state.analyses),
      alerts: own(this.state.alerts),
    };
  }

  toJSON(): string {
    return JSON.stringify(this.persistedState());
  }

  save(path: string): void {
    writeFileSync(path, this.toJSON());
  }

  /** Back to the state it started from (the seed or the loaded snapshot). */
  reset(): void {
    this.state = this.initial();
  }
}
