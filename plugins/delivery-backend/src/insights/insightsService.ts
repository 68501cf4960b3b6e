import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  DoraKeys,
  DoraResponse,
  InsightsScope,
  OverviewResponse,
  ServiceOverviewRow,
} from '@internal/plugin-delivery-common';
import { ComponentDirectory, InsightsComponent } from './componentDirectory';
import { TimelineEntry, timelineOf } from './deploymentTimeline';
import { DeploymentHistory } from './deploymentHistory';
import { StoredRun } from './historyQueries';
import { deploymentsBehind, doraKeysOf, seriesOf } from './doraKeys';
import { HistoryBackfill } from './historyBackfill';
import { FailureSettings } from './historyFacts';
import { PERFORMANCE_REFERENCE, levelsOf } from './performanceLevels';
import { PortalRollbackFeed } from './portalRollbacks';

/*
 * The insights routes' use cases, independent of HTTP: which components count, their history
 * read from the store (backfilled when first seen), and the keys computed from it.
 */

const DAY_MS = 24 * 3600 * 1000;
const MAX_DEPLOYMENTS_LISTED = 500;
/** A repository's overview summary is reused while its history is unchanged, this long at most. */
const SUMMARY_MS = 60_000;

export interface InsightsSettings {
  /** Our name of the production environment (e.g. prod). */
  environment: string;
  fixWindowHours: number;
  fixPattern: string;
}

export interface DoraQuery {
  entityRef?: string;
  group?: string;
  days: number;
}

interface RepositorySummary {
  version: number;
  computedAt: number;
  keys: DoraKeys;
  lastDeployment: { at: number; sha: string; id: number } | null;
  runs: { passed: number; completed: number };
}

/** Completed runs that count for the gate pass rate (a cancelled or skipped run neither passed nor failed). */
const JUDGED = new Set(['success', 'failure', 'timed_out', 'startup_failure']);

export class InsightsService {
  private readonly summaries = new Map<string, RepositorySummary>();
  private readonly failureSettings: FailureSettings;

  constructor(
    private readonly options: {
      directory: ComponentDirectory;
      history: DeploymentHistory;
      backfill: HistoryBackfill;
      rollbacks: PortalRollbackFeed;
      settings: InsightsSettings;
      now?: () => number;
    },
  ) {
    this.failureSettings = {
      fixWindowMs: options.settings.fixWindowHours * 3600 * 1000,
      fixPattern: new RegExp(options.settings.fixPattern, 'i'),
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The components of a scope the caller may read. */
  async componentsOf(
    query: Omit<DoraQuery, 'days'>,
    credentials: BackstageCredentials,
  ): Promise<{ scope: InsightsScope; components: InsightsComponent[] }> {
    const { directory } = this.options;
    if (query.entityRef) {
      const component = await directory.component(query.entityRef, credentials);
      return {
        scope: { kind: 'entity', entityRef: component.entityRef },
        components: [component],
      };
    }
    if (query.group) {
      return {
        scope: { kind: 'group', groupRef: query.group },
        components: await directory.ownedBy(query.group, credentials),
      };
    }
    return {
      scope: { kind: 'organization' },
      components: await directory.all(credentials),
    };
  }

  async dora(
    query: DoraQuery,
    credentials: BackstageCredentials,
  ): Promise<DoraResponse> {
    const { scope, components } = await this.componentsOf(query, credentials);
    return this.doraOf(scope, components, query.days);
  }

  /** The keys of components already chosen (the home page's team). */
  async doraOf(
    scope: InsightsScope,
    components: InsightsComponent[],
    days: number,
  ): Promise<DoraResponse> {
    const { history, backfill, rollbacks } = this.options;
    const repositories = [
      ...new Set(components.flatMap(c => (c.repository ? [c.repository] : []))),
    ];
    // One component's first view waits for its backfill; a team's or the organisation's
    // figures count what is read and say what is still being read.
    const pendingRepositories = new Set(
      await backfill.ensure(repositories, { wait: scope.kind === 'entity' }),
    );
    await rollbacks.sync();
    const counted = repositories.filter(r => !pendingRepositories.has(r));
    const to = this.now();
    const from = to - days * DAY_MS;
    const histories = await history.histories(counted, from - days * DAY_MS);
    const entries: TimelineEntry[] = histories.flatMap(h =>
      timelineOf(h, this.failureSettings),
    );
    const keys = doraKeysOf(entries, from, to);
    const byRepository = new Map<string, string[]>();
    for (const component of components) {
      if (!component.repository) continue;
      const refs = byRepository.get(component.repository) ?? [];
      refs.push(component.entityRef);
      byRepository.set(component.repository, refs);
    }
    const deployments = deploymentsBehind(
      entries,
      keys,
      repository => byRepository.get(repository) ?? [],
    );
    return {
      scope,
      days,
      window: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
      },
      components: components.map(c => c.entityRef),
      pending: components
        .filter(c => c.repository && pendingRepositories.has(c.repository))
        .map(c => c.entityRef),
      keys,
      previous: doraKeysOf(entries, from - days * DAY_MS, from),
      series: seriesOf(entries, from, to),
      levels: levelsOf(keys),
      reference: PERFORMANCE_REFERENCE,
      deployments: deployments.slice(0, MAX_DEPLOYMENTS_LISTED),
      deploymentsOmitted: Math.max(
        0,
        deployments.length - MAX_DEPLOYMENTS_LISTED,
      ),
      settings: {
        fixWindowHours: this.options.settings.fixWindowHours,
        fixPattern: this.options.settings.fixPattern,
        environment: this.options.settings.environment,
      },
    };
  }

  /** Every component the caller may read, with its delivery summary over `days`. */
  async overview(
    days: number,
    credentials: BackstageCredentials,
  ): Promise<OverviewResponse> {
    const { history, backfill } = this.options;
    const components = await this.options.directory.all(credentials);
    const repositories = [
      ...new Set(components.flatMap(c => (c.repository ? [c.repository] : []))),
    ];
    await this.options.rollbacks.sync();
    const states = await history.repositoryStates(repositories);
    const pending = new Set(await backfill.ensure(repositories, { states }));
    const now = this.now();
    const stale = repositories.filter(repository => {
      const known = this.summaries.get(`${repository}|${days}`);
      return (
        !pending.has(repository) &&
        (!known ||
          known.version !== (states.get(repository)?.version ?? 0) ||
          now - known.computedAt > SUMMARY_MS)
      );
    });
    await this.summarize(stale, days, now, states);
    const services: ServiceOverviewRow[] = components.map(component => {
      const repository = component.repository;
      const summary = repository
        ? this.summaries.get(`${repository}|${days}`)
        : undefined;
      const keys = summary?.keys;
      return {
        entityRef: component.entityRef,
        title: component.title,
        owner: component.owner,
        repository,
        lastDeployment: summary?.lastDeployment
          ? {
              ...summary.lastDeployment,
              at: new Date(summary.lastDeployment.at).toISOString(),
            }
          : null,
        gatePassRate: summary?.runs.completed
          ? Math.round((summary.runs.passed / summary.runs.completed) * 1000) /
            1000
          : null,
        pipelineRuns: summary?.runs.completed ?? 0,
        criticalFindings: repository
          ? states.get(repository)?.criticalFindings ?? null
          : null,
        deploymentsPerWeek: keys?.deploymentFrequency.perWeek ?? 0,
        leadTimeMedianSeconds: keys?.leadTime.medianSeconds ?? null,
        changeFailureRate: keys?.changeFailureRate.rate ?? null,
        timeToRestoreMedianSeconds: keys?.timeToRestore.medianSeconds ?? null,
        level: keys ? levelsOf(keys).overall : null,
        pending: Boolean(repository && pending.has(repository)),
      };
    });
    return {
      days,
      window: {
        from: new Date(now - days * DAY_MS).toISOString(),
        to: new Date(now).toISOString(),
      },
      services,
      reference: PERFORMANCE_REFERENCE,
      observedAt: new Date(now).toISOString(),
    };
  }

  private async summarize(
    repositories: string[],
    days: number,
    now: number,
    states: Map<string, { version: number }>,
  ): Promise<void> {
    if (repositories.length === 0) return;
    const from = now - days * DAY_MS;
    const [histories, runs] = await Promise.all([
      this.options.history.histories(repositories, from),
      this.options.history.runs(repositories, from),
    ]);
    const runsBy = new Map<string, StoredRun[]>();
    for (const run of runs) {
      const list = runsBy.get(run.repository) ?? [];
      list.push(run);
      runsBy.set(run.repository, list);
    }
    for (const repositoryHistory of histories) {
      const entries = timelineOf(repositoryHistory, this.failureSettings);
      const last = entries
        .filter(e => e.succeededAt !== null)
        .sort((a, b) => b.succeededAt! - a.succeededAt!)[0];
      const judged = (runsBy.get(repositoryHistory.repository) ?? []).filter(
        run => run.status === 'completed' && JUDGED.has(run.conclusion ?? ''),
      );
      this.summaries.set(`${repositoryHistory.repository}|${days}`, {
        version: states.get(repositoryHistory.repository)?.version ?? 0,
        computedAt: now,
        keys: doraKeysOf(entries, from, now),
        lastDeployment: last
          ? { at: last.succeededAt!, sha: last.facts.sha, id: last.facts.id }
          : null,
        runs: {
          passed: judged.filter(run => run.conclusion === 'success').length,
          completed: judged.length,
        },
      });
    }
  }
}
