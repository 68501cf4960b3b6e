import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  DashboardResponse,
  Finding,
  SonarCloudSummary,
} from '@internal/plugin-delivery-common';
import { ViewerAccesses } from '../access/viewerAccess';
import {
  SourcedFreshness,
  fromGitHub,
  fromSonarCloud,
  responseFreshness,
} from '../cache/freshness';
import { codeScanningFindings } from '../findings/codeScanning';
import { countFindings } from '../findings/findingCounts';
import { SonarCloud, sonarProjectKey } from '../findings/sonarCloud';
import { CachedGitHub } from '../github/cachedGitHub';
import { GitHubPipelines, toRunSummary } from '../pipeline/githubPipelines';

export interface DashboardServiceOptions {
  viewers: ViewerAccesses;
  github: CachedGitHub;
  pipelines: GitHubPipelines;
  sonarcloud: SonarCloud;
}

/** The quality gate, measures and open issues for the dashboard, or why they are missing. */
interface SonarSummary {
  summary: SonarCloudSummary | null;
  issues: Finding[] | null;
  freshness: SourcedFreshness[];
}

const NO_SONAR_SUMMARY: SonarSummary = {
  summary: null,
  issues: null,
  freshness: [],
};

/**
 * What an entity page needs in one call: the latest default-branch run with its gates, the
 * recent runs, open findings per tool and severity, and SonarCloud's quality gate.
 */
export class DashboardService {
  constructor(private readonly options: DashboardServiceOptions) {}

  async dashboard(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: { runs: number },
  ): Promise<DashboardResponse> {
    const access = await this.options.viewers.of(entityRef, credentials);
    const { pipelines } = this.options;
    const [repository, runs, codeScanning, sonar] = await Promise.all([
      pipelines.repository(access.repo),
      pipelines.listRuns(access.repo, { limit: Math.max(query.runs, 20) }),
      codeScanningFindings(this.options.github, access.repo),
      this.sonarSummary(sonarProjectKey(access.entity)),
    ]);
    const defaultBranch = repository.data.defaultBranch;
    const latest =
      runs.data.runs.find(run => run.head_branch === defaultBranch) ??
      (
        await pipelines.listRuns(access.repo, {
          branch: defaultBranch,
          limit: 1,
        })
      ).data.runs[0];
    const latestRun = latest
      ? await pipelines.pipelineRun(access.repo, latest)
      : null;
    const openFindings = [
      ...codeScanning.data.filter(f => f.state === 'open'),
      ...(sonar.issues ?? []),
    ];
    return {
      entityRef: access.entityRef,
      repository: repository.data,
      latestRun: latestRun?.data ?? null,
      recentRuns: runs.data.runs.slice(0, query.runs).map(toRunSummary),
      findingCounts: countFindings(openFindings),
      sonarcloud: sonar.summary,
      canRerun: access.canRerun,
      freshness: responseFreshness([
        ...fromGitHub(repository, runs, codeScanning, latestRun),
        ...sonar.freshness,
      ]),
    };
  }

  /** Failures leave the SonarCloud summary out rather than failing the dashboard. */
  private async sonarSummary(projectKey: string | null): Promise<SonarSummary> {
    if (!projectKey) return NO_SONAR_SUMMARY;
    try {
      const [gate, issues] = await Promise.all([
        this.options.sonarcloud.qualityGate(projectKey),
        this.options.sonarcloud.openIssues(projectKey),
      ]);
      return {
        summary: { projectKey, ...gate.data },
        issues: issues.data.issues,
        freshness: fromSonarCloud(gate, issues),
      };
    } catch (error) {
      // A project SonarCloud has not analysed yet (a new service) has no gate: nothing is stale.
      if (error instanceof NotFoundError) return NO_SONAR_SUMMARY;
      return {
        summary: null,
        issues: null,
        freshness: fromSonarCloud({
          freshness: {
            validatedAt: Date.now(),
            stale: true,
            staleReason: `SonarCloud unavailable: ${(error as Error).message}`,
          },
        }),
      };
    }
  }
}
