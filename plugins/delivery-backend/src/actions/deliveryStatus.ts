import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DashboardResponse,
  DeliveryEnvironment,
  EnvironmentHealth,
  PipelineRun,
} from '@internal/plugin-delivery-common';
import type { z } from 'zod/v3';
import { DashboardService } from '../dashboard/dashboardService';
import { EnvironmentsService } from '../environments/environmentsService';

/*
 * One component's delivery status for an assistant: the dashboard's latest default-branch run
 * with its gates and open findings, and the environments view's deployment state, both read with
 * the caller's credentials exactly as the HTTP routes read them, projected to what answers
 * "is it healthy, what failed, what runs where" (pods and revision histories stay on the page).
 */

/** Recent runs are left out of the answer; the dashboard reads at least 20 to find the latest. */
const RUNS_READ = 1;

export const deliveryStatusInput = (zod: typeof z) =>
  zod.object({
    entityRef: zod
      .string()
      .min(1)
      .describe(
        'The component, as an entity ref: "component:default/titanic-service", or "titanic-service" (kind component and namespace default are assumed).',
      ),
  });

const severityCounts = (zod: typeof z) =>
  zod.object({
    critical: zod.number(),
    high: zod.number(),
    medium: zod.number(),
    low: zod.number(),
    info: zod.number(),
    total: zod.number(),
  });

export const deliveryStatusOutput = (zod: typeof z) =>
  zod.object({
    entityRef: zod.string().describe('The component as the catalog names it.'),
    repository: zod.object({
      slug: zod.string().describe('owner/name on GitHub'),
      htmlUrl: zod.string(),
      defaultBranch: zod.string(),
    }),
    latestRun: zod
      .object({
        id: zod.number(),
        runNumber: zod.number(),
        name: zod.string().describe('The workflow name.'),
        title: zod.string().describe("The head commit's first line."),
        branch: zod.string(),
        headSha: zod.string(),
        event: zod.string(),
        actor: zod.string().nullable(),
        status: zod
          .string()
          .describe('queued, in_progress, waiting, completed, ...'),
        conclusion: zod
          .string()
          .nullable()
          .describe('success, failure, cancelled, ... once completed.'),
        createdAt: zod.string(),
        updatedAt: zod.string(),
        durationSeconds: zod.number().nullable(),
        htmlUrl: zod.string(),
        failedGateId: zod
          .string()
          .nullable()
          .describe('The first gate that failed, if any.'),
        gates: zod
          .array(
            zod.object({
              id: zod.string(),
              title: zod.string(),
              status: zod
                .string()
                .describe(
                  'success, failure, cancelled, skipped, running, queued, waiting (for a review) or not-run.',
                ),
              reason: zod
                .string()
                .nullable()
                .describe('Why the gate failed, in one line.'),
              durationSeconds: zod.number().nullable(),
              logsUrl: zod.string().nullable(),
            }),
          )
          .describe('The pipeline gates in order.'),
      })
      .nullable()
      .describe(
        'The newest pipeline run on the default branch; null when there is none.',
      ),
    openFindings: zod
      .object({
        total: severityCounts(zod),
        byTool: zod.record(severityCounts(zod)),
      })
      .describe(
        'Open code-scanning and SonarCloud findings per severity, in all and per tool.',
      ),
    sonarcloudQualityGate: zod
      .object({
        status: zod.string().describe('OK, WARN, ERROR or NONE.'),
        summary: zod.string(),
        dashboardUrl: zod.string(),
      })
      .nullable(),
    environments: zod
      .array(
        zod.object({
          name: zod.string().describe('dev, staging, prod, ...'),
          githubEnvironment: zod.string(),
          cluster: zod.string(),
          namespace: zod.string(),
          health: zod
            .string()
            .describe(
              'healthy, progressing, degraded, stalled, paused, missing (not deployed) or unknown (the cluster could not be read).',
            ),
          revision: zod.number().nullable(),
          image: zod.string().nullable(),
          replicas: zod
            .object({
              desired: zod.number(),
              ready: zod.number(),
              available: zod.number(),
            })
            .nullable(),
          rollout: zod
            .string()
            .nullable()
            .describe('How the current rollout stands, in one line.'),
          lastRolloutAt: zod.string().nullable(),
          latestDeployment: zod
            .object({
              state: zod.string().nullable(),
              sha: zod.string(),
              ref: zod.string(),
              creator: zod.string().nullable(),
              createdAt: zod.string(),
            })
            .nullable()
            .describe('The newest GitHub deployment to this environment.'),
          waitingForApproval: zod
            .object({
              runId: zod.number(),
              runNumber: zod.number(),
              htmlUrl: zod.string(),
            })
            .nullable()
            .describe('The run waiting for a review to deploy here, if any.'),
          problems: zod
            .array(zod.string())
            .describe('What could not be read (Kubernetes, GitHub).'),
        }),
      )
      .describe('In pipeline order.'),
    stale: zod
      .boolean()
      .describe(
        'True when GitHub or SonarCloud could not be refreshed and cached data was served.',
      ),
    observedAt: zod.string(),
  });

export type DeliveryStatusOutput = z.infer<
  ReturnType<typeof deliveryStatusOutput>
>;

/** The component an assistant named; a malformed ref or another kind is the caller's mistake. */
export function componentRef(entityRef: string): CompoundEntityRef {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(entityRef.trim(), {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `"${entityRef}" is not an entity ref (${
        (error as Error).message
      }); give one like component:default/titanic-service`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `Delivery status is kept for components; ${entityRef} is a ${ref.kind}`,
    );
  }
  return ref;
}

function toRun(run: PipelineRun): DeliveryStatusOutput['latestRun'] {
  return {
    id: run.id,
    runNumber: run.runNumber,
    name: run.name,
    title: run.title,
    branch: run.branch,
    headSha: run.headSha,
    event: run.event,
    actor: run.actor,
    status: run.status,
    conclusion: run.conclusion,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    durationSeconds: run.durationSeconds,
    htmlUrl: run.htmlUrl,
    failedGateId: run.failedGateId,
    gates: run.gates.map(gate => ({
      id: gate.id,
      title: gate.title,
      status: gate.status,
      reason: gate.reason,
      durationSeconds: gate.durationSeconds,
      logsUrl: gate.logsUrl,
    })),
  };
}

function healthOf(environment: DeliveryEnvironment): EnvironmentHealth {
  if (environment.kubernetes) return environment.kubernetes.health;
  // No Deployment without an error is an environment not deployed yet.
  return environment.kubernetesError ? 'unknown' : 'missing';
}

function toEnvironment(
  environment: DeliveryEnvironment,
): DeliveryStatusOutput['environments'][number] {
  const { kubernetes, pendingApproval } = environment;
  const [latest] = environment.githubDeployments;
  return {
    name: environment.name,
    githubEnvironment: environment.githubEnvironment,
    cluster: environment.cluster,
    namespace: environment.namespace,
    health: healthOf(environment),
    revision: kubernetes?.revision ?? null,
    image: kubernetes?.image ?? null,
    replicas: kubernetes
      ? {
          desired: kubernetes.replicas.desired,
          ready: kubernetes.replicas.ready,
          available: kubernetes.replicas.available,
        }
      : null,
    rollout: kubernetes?.rollout.message ?? null,
    lastRolloutAt: kubernetes?.lastRolloutAt ?? null,
    latestDeployment: latest
      ? {
          state: latest.state,
          sha: latest.sha,
          ref: latest.ref,
          creator: latest.creator,
          createdAt: latest.createdAt,
        }
      : null,
    waitingForApproval: pendingApproval
      ? {
          runId: pendingApproval.runId,
          runNumber: pendingApproval.runNumber,
          htmlUrl: pendingApproval.htmlUrl,
        }
      : null,
    problems: [
      ...(environment.kubernetesError
        ? [`Kubernetes: ${environment.kubernetesError.message}`]
        : []),
      ...(environment.githubError
        ? [`GitHub: ${environment.githubError.message}`]
        : []),
    ],
  };
}

/** Reads a component's delivery status through the services that answer the HTTP routes. */
export class DeliveryStatus {
  constructor(
    private readonly options: {
      dashboard: DashboardService;
      environments: EnvironmentsService;
    },
  ) {}

  /**
   * 400 for a malformed ref or another kind, 404 when the caller cannot see the component, 403
   * without delivery.read on it: the same answers as the dashboard and environments routes.
   */
  async status(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<DeliveryStatusOutput> {
    const ref = componentRef(entityRef);
    const [dashboard, environments] = await Promise.all([
      this.options.dashboard.dashboard(ref, credentials, { runs: RUNS_READ }),
      this.options.environments.environments(ref, credentials),
    ]);
    return {
      entityRef: dashboard.entityRef,
      repository: {
        slug: dashboard.repository.slug,
        htmlUrl: dashboard.repository.htmlUrl,
        defaultBranch: dashboard.repository.defaultBranch,
      },
      latestRun: dashboard.latestRun ? toRun(dashboard.latestRun) : null,
      openFindings: dashboard.findingCounts,
      sonarcloudQualityGate: qualityGateOf(dashboard),
      environments: environments.environments.map(toEnvironment),
      stale: dashboard.freshness.stale,
      observedAt: environments.observedAt,
    };
  }
}

function qualityGateOf(
  dashboard: DashboardResponse,
): DeliveryStatusOutput['sonarcloudQualityGate'] {
  const { sonarcloud } = dashboard;
  if (!sonarcloud) return null;
  return {
    status: sonarcloud.qualityGate.status,
    summary: sonarcloud.qualityGate.summary,
    dashboardUrl: sonarcloud.dashboardUrl,
  };
}
