import { readFileSync, writeFileSync } from 'node:fs';
import { seedServiceHistories } from '../history/serviceHistories';
import { WorldState } from './records';
import { createSeedWorld } from './seedWorld';

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
      return state;
    };
    return new SandboxWorld(parse(), parse);
  }

  static load(path: string): SandboxWorld {
    return SandboxWorld.fromSnapshot(readFileSync(path, 'utf8'));
  }

  toJSON(): string {
    return JSON.stringify(this.state);
  }

  save(path: string): void {
    writeFileSync(path, this.toJSON());
  }

  /** Back to the state it started from (the seed or the loaded snapshot). */
  reset(): void {
    this.state = this.initial();
  }
}
