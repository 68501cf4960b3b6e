import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentHealthSummary,
  GateResult,
  HomeResponse,
  RecentDeployment,
  TeamService,
  reasonOf,
} from '@internal/plugin-delivery-common';
import { EnvironmentBindings } from '../environments/environmentBindings';
import { EnvironmentsReader } from '../environments/environmentsReader';
import { FindingsService } from '../findings/findingsService';
import { ComponentDirectory, InsightsComponent } from './componentDirectory';
import { DeploymentHistory } from './deploymentHistory';
import { HistoryBackfill } from './historyBackfill';
import { StoredRun } from './historyQueries';
import { InsightsService } from './insightsService';
import { PendingApprovalsSource } from '../approvals/pendingApprovals';

/*
 * What the home page shows the signed-in person: the deployments waiting for their review, their
 * teams' services (latest gate result, open critical findings, environment health), the newest
 * production deployments and rollbacks they may see, and their teams' four keys.
 */

const RECENT = 15;
/** At most this many of the teams' services get live findings and health. */
const MAX_TEAM_SERVICES = 30;

function gateResult(run: StoredRun): GateResult {
  if (run.status !== 'completed') return 'running';
  return run.conclusion === 'success' ? 'passed' : 'failed';
}

export class HomeService {
  constructor(
    private readonly options: {
      directory: ComponentDirectory;
      history: DeploymentHistory;
      backfill: HistoryBackfill;
      insights: InsightsService;
      approvals: PendingApprovalsSource;
      findings: FindingsService;
      reader: EnvironmentsReader;
      bindings: EnvironmentBindings;
    },
  ) {}

  async home(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<HomeResponse> {
    const { directory } = this.options;
    const user = credentials.principal.userEntityRef;
    const [teams, readable] = await Promise.all([
      directory.groupsOf(user, credentials),
      directory.all(credentials),
    ]);
    const teamComponents = readable.filter(c => teams.includes(c.owner));
    // The person's own services are read first, so their reviews and keys are never missing.
    await this.options.backfill.ensure(
      teamComponents.flatMap(c => (c.repository ? [c.repository] : [])),
      { wait: true },
    );
    const [approvals, services, recent, teamKeys] = await Promise.all([
      this.options.approvals.forPerson(credentials),
      this.teamServices(
        teamComponents.slice(0, MAX_TEAM_SERVICES),
        credentials,
      ),
      this.recent(readable),
      teamComponents.length
        ? this.options.insights.doraOf(
            { kind: 'group', groupRef: teams.join(', ') },
            teamComponents,
            30,
          )
        : Promise.resolve(null),
    ]);
    return {
      user,
      teams,
      approvals,
      services,
      recent,
      teamKeys,
      observedAt: new Date().toISOString(),
    };
  }

  private async teamServices(
    components: InsightsComponent[],
    credentials: BackstageCredentials,
  ): Promise<TeamService[]> {
    const { history } = this.options;
    const repositories = components.flatMap(c =>
      c.repository ? [c.repository] : [],
    );
    const states = await history.repositoryStates(repositories);
    const latest = await history.latestRuns(
      repositories,
      repository => states.get(repository)?.defaultBranch ?? null,
    );
    return Promise.all(
      components.map(async component => {
        const problems: string[] = [];
        const run = component.repository
          ? latest.get(component.repository)
          : undefined;
        const [criticalFindings, environments] = await Promise.all([
          this.criticalFindings(component, credentials).catch(error => {
            problems.push(`Findings: ${(error as Error).message}`);
            return null;
          }),
          this.health(component),
        ]);
        return {
          entityRef: component.entityRef,
          title: component.title,
          owner: component.owner,
          repository: component.repository,
          latestRun: run
            ? {
                runId: run.id,
                runNumber: run.runNumber,
                title: run.title,
                branch: run.branch,
                result: gateResult(run),
                conclusion: run.conclusion,
                at: new Date(run.updatedAt).toISOString(),
                htmlUrl: run.htmlUrl,
              }
            : null,
          criticalFindings,
          environments,
          problems,
        };
      }),
    );
  }

  private async criticalFindings(
    component: InsightsComponent,
    credentials: BackstageCredentials,
  ): Promise<number | null> {
    if (!component.repository) return null;
    const answer = await this.options.findings.findings(
      parseEntityRef(component.entityRef),
      credentials,
      { severity: ['critical'], state: ['open'] },
      { offset: 0, limit: 1 },
    );
    return answer.totalCount;
  }

  private async health(
    component: InsightsComponent,
  ): Promise<TeamService['environments']> {
    const bindings = this.options.bindings.of(component.entity);
    return Promise.all(
      bindings.map(async binding => {
        try {
          const state = await this.options.reader.kubernetes(binding);
          return { name: binding.name, health: state.health };
        } catch (error) {
          const health: EnvironmentHealthSummary =
            reasonOf(error) === 'deployment-not-found' ? 'missing' : 'unknown';
          return { name: binding.name, health };
        }
      }),
    );
  }

  private async recent(
    readable: InsightsComponent[],
  ): Promise<RecentDeployment[]> {
    const refsOf = new Map<string, string[]>();
    for (const component of readable) {
      if (!component.repository) continue;
      refsOf.set(component.repository, [
        ...(refsOf.get(component.repository) ?? []),
        component.entityRef,
      ]);
    }
    // Read more than shown: some belong to repositories the person may not see.
    const { deployments, rollbacks } = await this.options.history.recent(
      RECENT * 4,
    );
    const items: RecentDeployment[] = [
      ...deployments.map(
        (d): RecentDeployment => ({
          id: d.id,
          kind: /rollback/i.test(d.task) ? 'pipeline-rollback' : 'deployment',
          entityRefs: refsOf.get(d.repository) ?? [],
          repository: d.repository,
          environment: d.environment,
          sha: d.sha,
          state: d.state ?? 'pending',
          at: new Date(d.stateAt ?? d.createdAt).toISOString(),
          actor: d.creator,
          description: d.description,
        }),
      ),
      ...rollbacks.map(
        (r): RecentDeployment => ({
          id: r.id,
          kind: 'portal-rollback',
          entityRefs: refsOf.get(r.repository) ?? [],
          repository: r.repository,
          environment: r.environment,
          sha: null,
          state: r.phase ?? 'progressing',
          at: new Date(r.at).toISOString(),
          actor: r.actor,
          description: null,
        }),
      ),
    ];
    return items
      .filter(item => item.entityRefs.length > 0)
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, RECENT);
  }
}
