import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AUDIT_ACTIONS,
  AuditAction,
  AuditEntry,
  AuditTrailResponse,
  EnvironmentsResponse,
  ReviewDecision,
  ReviewDeploymentResponse,
  RollbackResponse,
  RolloutStatus,
  deliveryDeploymentApprovePermission,
  deliveryDeploymentRollbackPermission,
  deliveryReadPermission,
} from '@internal/plugin-delivery-common';
import { Request } from 'express';
import { AuditTrail, NewAuditEntry } from './auditTrail';
import { DeploymentApprovals } from './deploymentApprovals';
import {
  EnvironmentBinding,
  EnvironmentTemplate,
  environmentsOfEntity,
} from './environmentBindings';
import { EnvironmentsReader } from './environments';
import { loadEntity, repositoryOfEntity } from './entityRepository';
import { RepositoryRef } from './githubClient';
import { KubernetesClusters, kubernetesFailure } from './kubernetes/clusters';
import { rolloutStatusOf } from './kubernetes/deploymentStatus';
import { ResourceOwnership } from './resourceOwnership';
import { Rollbacks, followRollout } from './rollback';

export interface EnvironmentsServiceOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  auditor: AuditorService;
  auditTrail: AuditTrail;
  logger: LoggerService;
  clusters: KubernetesClusters;
  templates: EnvironmentTemplate[];
  approvals: DeploymentApprovals;
  reader: EnvironmentsReader;
  rollbacks: Rollbacks;
  /** Which repository and namespaces an entity may act on, beyond its own annotations. */
  ownership: ResourceOwnership;
  githubHost: string;
  /** How often an applied rollback's rollout is read until it completes or stalls. */
  followIntervalMs: number;
  followTimeoutMs: number;
}

const MAX_TEXT = 1000;

function invalid(message: string): InputError {
  return Object.assign(new InputError(message), {
    details: { reason: 'invalid-request' },
  });
}

function optionalText(
  body: Record<string, unknown>,
  key: string,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${key} must be a string`);
  if (value.length > MAX_TEXT)
    throw invalid(
      `${key} must be at most ${MAX_TEXT} characters (got ${value.length})`,
    );
  return value.trim() || undefined;
}

function optionalRevision(
  body: Record<string, unknown>,
  key: string,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(
      `${key} must be a revision number ≥ 1, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function objectBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalid('The request body must be a JSON object');
  const unknown = Object.keys(body).filter(key => !allowed.includes(key));
  if (unknown.length > 0) {
    throw invalid(
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(
        ', ',
      )}; allowed: ${allowed.join(', ')}`,
    );
  }
  return body as Record<string, unknown>;
}

export function parseReviewRequest(body: unknown): {
  decision: ReviewDecision;
  environments?: string[];
  comment?: string;
} {
  const fields = objectBody(body, ['decision', 'environments', 'comment']);
  if (fields.decision !== 'approve' && fields.decision !== 'reject') {
    throw invalid(
      `decision must be "approve" or "reject", not ${JSON.stringify(
        fields.decision,
      )}`,
    );
  }
  const environments = fields.environments;
  if (
    environments !== undefined &&
    (!Array.isArray(environments) ||
      environments.length === 0 ||
      environments.some(
        e => typeof e !== 'string' || e.length === 0 || e.length > 255,
      ))
  ) {
    throw invalid('environments must be a non-empty list of environment names');
  }
  return {
    decision: fields.decision,
    environments: environments as string[] | undefined,
    comment: optionalText(fields, 'comment'),
  };
}

export function parseRollbackRequest(body: unknown): {
  toRevision?: number;
  expectedCurrentRevision?: number;
  reason?: string;
} {
  const fields = objectBody(body, [
    'toRevision',
    'expectedCurrentRevision',
    'reason',
  ]);
  return {
    toRevision: optionalRevision(fields, 'toRevision'),
    expectedCurrentRevision: optionalRevision(
      fields,
      'expectedCurrentRevision',
    ),
    reason: optionalText(fields, 'reason'),
  };
}

export function parseAuditQuery(query: Record<string, unknown>): {
  environment?: string;
  action?: AuditAction;
  limit: number;
  before?: number;
} {
  const text = (key: string) => {
    const value = query[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalid(`${key} must be given once`);
    return value;
  };
  const number = (key: string) => {
    const value = text(key);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 1)
      throw invalid(`${key} must be a whole number ≥ 1, not "${value}"`);
    return parsed;
  };
  const action = text('action');
  if (
    action !== undefined &&
    !(AUDIT_ACTIONS as readonly string[]).includes(action)
  ) {
    throw invalid(
      `action must be one of ${AUDIT_ACTIONS.join(', ')}, not "${action}"`,
    );
  }
  const limit = number('limit') ?? 50;
  if (limit > 500) throw invalid(`limit must be at most 500, not ${limit}`);
  return {
    environment: text('environment'),
    action: action as AuditAction | undefined,
    limit,
    before: number('before'),
  };
}

function describe(ref: { revision: number; image: string }): string {
  return `revision ${ref.revision} (${ref.image})`;
}

/** An attempt's audit entry before anything is known of how it ends: allowed, failed until proven otherwise. */
function attemptEntry(
  actor: string,
  fields: Omit<
    NewAuditEntry,
    | 'actor'
    | 'at'
    | 'actorDisplayName'
    | 'fromRevision'
    | 'permission'
    | 'result'
    | 'error'
  > & { at?: string },
): NewAuditEntry {
  return {
    at: new Date().toISOString(),
    actorDisplayName: null,
    fromRevision: null,
    permission: 'allowed',
    result: 'failed',
    error: null,
    ...fields,
    actor,
  };
}

/** How the portal names the deciding user in GitHub comments and change causes. */
function signature(entry: NewAuditEntry): string {
  return entry.actorDisplayName
    ? `${entry.actorDisplayName} (${entry.actor})`
    : entry.actor;
}

/**
 * The environments API independent of HTTP: resolves the entity with the caller's credentials,
 * decides with the permission framework, and writes every approve/reject/rollback attempt to the
 * auditor and to the plugin's audit table.
 */
export class EnvironmentsService {
  private readonly following = new Set<AbortController>();

  constructor(private readonly options: EnvironmentsServiceOptions) {}

  /** Stops following rollouts (backend shutdown). */
  stop(): void {
    for (const controller of this.following) controller.abort();
  }

  async environments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentsResponse> {
    const entity = await loadEntity(
      this.options.catalog,
      entityRef,
      credentials,
    );
    const ref = stringifyEntityRef(entity);
    const [read, approve, rollback] = await this.options.permissions.authorize(
      [
        deliveryReadPermission,
        deliveryDeploymentApprovePermission,
        deliveryDeploymentRollbackPermission,
      ].map(permission => ({ permission, resourceRef: ref })),
      { credentials },
    );
    if (read.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not see the delivery data of ${ref}`);
    }
    const bindings = this.bindingsOf(entity);
    const repo = this.repositoryOrError(entity);
    const { environments, pendingApprovals } = await this.options.reader.read(
      entity,
      bindings,
      repo,
    );
    let approveBlockedReason: string | null = null;
    if (!(repo instanceof Error)) {
      try {
        this.options.ownership.assertRepositoryBound(entity, repo);
      } catch (error) {
        approveBlockedReason = (error as Error).message;
      }
    }
    return {
      entityRef: ref,
      environments,
      pendingApprovals,
      approveBlockedReason,
      permissions: {
        approve: approve.result === AuthorizeResult.ALLOW,
        rollback: rollback.result === AuthorizeResult.ALLOW,
      },
      observedAt: new Date().toISOString(),
    };
  }

  async rollout(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    environment: string,
  ): Promise<RolloutStatus> {
    const entity = await loadEntity(
      this.options.catalog,
      entityRef,
      credentials,
    );
    await this.authorize(
      entity,
      credentials,
      deliveryReadPermission,
      'see the delivery data of',
    );
    const binding = this.bindingOf(entity, environment);
    const clients = this.options.clusters.forCluster(binding.cluster);
    const deployment = await clients.apps
      .readNamespacedDeployment({
        name: binding.deploymentName,
        namespace: binding.namespace,
      })
      .catch(error => {
        throw kubernetesFailure(error, {
          verb: 'get',
          resource: 'deployments',
          namespace: binding.namespace,
          cluster: binding.cluster,
        });
      });
    return rolloutStatusOf(binding, deployment, new Date());
  }

  async audit(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    query: Record<string, unknown>,
  ): Promise<AuditTrailResponse> {
    const parsed = parseAuditQuery(query);
    const entity = await loadEntity(
      this.options.catalog,
      entityRef,
      credentials,
    );
    await this.authorize(
      entity,
      credentials,
      deliveryReadPermission,
      'see the delivery data of',
    );
    return this.options.auditTrail.list({
      entityRef: stringifyEntityRef(entity),
      ...parsed,
    });
  }

  async review(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    runId: number,
    body: unknown,
    request?: Request,
  ): Promise<ReviewDeploymentResponse> {
    const ref = stringifyEntityRef(entityRef);
    const attempt = parseReviewRequestLenient(body);
    const action: AuditAction =
      attempt.decision === 'reject' ? 'reject' : 'approve';
    const actor = credentials.principal.userEntityRef;
    const event = await this.options.auditor.createEvent({
      eventId: 'deployment-review',
      severityLevel: 'high',
      request,
      meta: {
        entityRef: ref,
        runId,
        decision: attempt.decision,
        environments: attempt.environments,
      },
    });
    const entry = attemptEntry(actor, {
      entityRef: ref,
      environment: attempt.environments?.join(',') || 'pending',
      action,
      from: `run ${runId} waiting`,
      to: `run ${runId} ${action === 'approve' ? 'approved' : 'rejected'}`,
      toRevision: null,
      runId,
      reason: attempt.comment ?? null,
    });
    const audited = { event, entry, entityRef, credentials };
    return this.auditedAttempt(
      audited,
      () => parseReviewRequest(body),
      async (entity, parsed) => {
        const bindings = this.bindingsOf(entity);
        // Our names (prod) and GitHub's (production) are both accepted.
        const githubEnvironments = parsed.environments?.map(
          name =>
            bindings.find(b => b.name === name)?.githubEnvironment ?? name,
        );
        entry.environment = githubEnvironments
          ? githubEnvironments
              .map(
                g => bindings.find(b => b.githubEnvironment === g)?.name ?? g,
              )
              .join(',')
          : entry.environment;
        await this.authorizeAttempt(
          entity,
          credentials,
          deliveryDeploymentApprovePermission,
          entry,
          'approve or reject deployments of',
        );
        const repo = repositoryOfEntity(entity, this.options.githubHost);
        await this.deniedUnlessBound(entry, async () =>
          this.options.ownership.assertRepositoryBound(entity, repo),
        );
        const who = signature(entry);
        const comment = `${
          parsed.decision === 'approve' ? 'Approved' : 'Rejected'
        } in Titanic Portal by ${who}${
          parsed.comment ? `: ${parsed.comment}` : ''
        }`;
        const result = await this.options.approvals
          .review(repo, runId, {
            decision: parsed.decision,
            environments: githubEnvironments,
            comment,
          })
          .finally(() => this.options.reader.invalidateRepository(repo));
        entry.environment = result.environments
          .map(g => bindings.find(b => b.githubEnvironment === g)?.name ?? g)
          .join(',');
        entry.result = 'succeeded';
        const auditId = await this.options.auditTrail.record(entry);
        await event.success({
          meta: {
            auditId,
            environments: result.environments,
            runStatus: result.runStatus,
          },
        });
        return {
          runId,
          decision: parsed.decision,
          environments: result.environments,
          reviewer: {
            userEntityRef: actor,
            displayName: entry.actorDisplayName,
          },
          comment,
          runStatus: result.runStatus,
          auditId,
        };
      },
    );
  }

  async rollback(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    environment: string,
    body: unknown,
    request?: Request,
  ): Promise<RollbackResponse> {
    const requestedAt = new Date().toISOString();
    const ref = stringifyEntityRef(entityRef);
    const actor = credentials.principal.userEntityRef;
    const lenient = (body ?? {}) as Record<string, unknown>;
    const event = await this.options.auditor.createEvent({
      eventId: 'deployment-rollback',
      severityLevel: 'high',
      request,
      meta: {
        entityRef: ref,
        environment,
        toRevision:
          typeof lenient.toRevision === 'number' ? lenient.toRevision : null,
        expectedCurrentRevision:
          typeof lenient.expectedCurrentRevision === 'number'
            ? lenient.expectedCurrentRevision
            : null,
      },
    });
    const entry = attemptEntry(actor, {
      at: requestedAt,
      entityRef: ref,
      environment: environment.slice(0, 64),
      action: 'rollback',
      from: null,
      to:
        typeof lenient.toRevision === 'number'
          ? `revision ${lenient.toRevision}`
          : 'previous revision',
      toRevision:
        typeof lenient.toRevision === 'number' &&
        Number.isSafeInteger(lenient.toRevision)
          ? lenient.toRevision
          : null,
      runId: null,
      reason:
        typeof lenient.reason === 'string'
          ? lenient.reason.slice(0, MAX_TEXT)
          : null,
    });
    const audited = { event, entry, entityRef, credentials };
    return this.auditedAttempt(
      audited,
      () => parseRollbackRequest(body),
      async (entity, parsed) => {
        await this.authorizeAttempt(
          entity,
          credentials,
          deliveryDeploymentRollbackPermission,
          entry,
          'roll back',
        );
        const binding = this.bindingOf(entity, environment);
        const clients = this.options.clusters.forCluster(binding.cluster);
        await this.deniedUnlessBound(entry, () =>
          this.options.ownership.assertNamespaceBound(clients, binding, entity),
        );
        const who = signature(entry);
        const result = await this.options.rollbacks.rollback(clients, binding, {
          toRevision: parsed.toRevision,
          expectedCurrentRevision: parsed.expectedCurrentRevision,
          changeCause: `Rolled back to revision ${
            parsed.toRevision ?? 'previous'
          } in Titanic Portal by ${who}${
            parsed.reason ? `: ${parsed.reason}` : ''
          }`.slice(0, MAX_TEXT),
        });
        this.options.reader.invalidate(binding);
        Object.assign(entry, {
          from: describe(result.from),
          to: describe(result.to),
          fromRevision: result.from.revision,
          toRevision: result.to.revision,
          result: result.kind === 'no-op' ? 'no-op' : 'succeeded',
          rolloutStatus: result.kind === 'no-op' ? null : result.rollout.phase,
        });
        const auditId = await this.options.auditTrail.record(entry);
        await event.success({
          meta: {
            auditId,
            outcome: result.kind,
            from: entry.from,
            to: entry.to,
          },
        });
        if (result.kind === 'rolled-back') {
          this.follow(binding, result.generation, auditId);
        }
        return {
          outcome: result.kind,
          message: result.message,
          environment: binding.name,
          namespace: binding.namespace,
          deploymentName: binding.deploymentName,
          from: result.from,
          to: result.to,
          newRevision:
            result.kind === 'rolled-back'
              ? result.newRevision
              : result.from.revision,
          rollout: result.rollout,
          requestedAt,
          auditId,
        };
      },
    );
  }

  /**
   * One audited approve/reject/rollback attempt: validates the request, loads the entity as the
   * caller sees it and names the caller, then acts. Whatever fails is written to the audit table
   * and to the auditor event before the error reaches the caller.
   */
  private async auditedAttempt<P, T>(
    audited: {
      event: AuditorServiceEvent;
      entry: NewAuditEntry;
      entityRef: CompoundEntityRef;
      credentials: BackstageCredentials;
    },
    parse: () => P,
    act: (entity: Entity, parsed: P) => Promise<T>,
  ): Promise<T> {
    const { event, entry, credentials } = audited;
    try {
      const parsed = parse();
      const entity = await loadEntity(
        this.options.catalog,
        audited.entityRef,
        credentials,
      );
      entry.entityRef = stringifyEntityRef(entity);
      entry.actorDisplayName = await this.displayName(entry.actor, credentials);
      return await act(entity, parsed);
    } catch (error) {
      await this.recordFailure(entry, error);
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Follows again the rollouts of rollbacks that a stopped process applied but did not see end
   * (a restart mid-rollout), so no audit entry stays "progressing". Each is followed for what
   * remains of its follow window; one already past it records the phase the cluster shows now.
   */
  async resumeFollowing(credentials: BackstageCredentials): Promise<void> {
    let unfinished: AuditEntry[];
    try {
      unfinished = await this.options.auditTrail.unfinishedRollouts();
    } catch (error) {
      this.options.logger.error(
        `Could not read unfinished rollbacks: ${error}`,
      );
      return;
    }
    for (const entry of unfinished) {
      try {
        const entity = await loadEntity(
          this.options.catalog,
          parseEntityRef(entry.entityRef),
          credentials,
        );
        const binding = this.bindingOf(entity, entry.environment);
        const deployment = await this.options.clusters
          .forCluster(binding.cluster)
          .apps.readNamespacedDeployment({
            name: binding.deploymentName,
            namespace: binding.namespace,
          });
        const remainingMs =
          Date.parse(entry.at) + this.options.followTimeoutMs - Date.now();
        this.follow(
          binding,
          deployment.metadata?.generation ?? 0,
          entry.id,
          Math.max(remainingMs, 0),
        );
      } catch (error) {
        this.options.logger.warn(
          `Cannot follow the rollback of audit entry ${entry.id} (${entry.entityRef}, ${entry.environment}) again: ${error}`,
        );
      }
    }
  }

  /** Follows an applied rollback's rollout in the background and records how it ended. */
  private follow(
    binding: EnvironmentBinding,
    generation: number,
    auditId: number,
    timeoutMs = this.options.followTimeoutMs,
  ): void {
    const controller = new AbortController();
    this.following.add(controller);
    followRollout(this.options.clusters.forCluster(binding.cluster), binding, {
      generation,
      intervalMs: this.options.followIntervalMs,
      timeoutMs,
      signal: controller.signal,
    })
      .then(async status => {
        this.options.reader.invalidate(binding);
        if (controller.signal.aborted) return;
        await this.options.auditTrail.rolloutFinished(
          auditId,
          status.phase,
          status.completedAt ?? status.observedAt,
        );
        this.options.logger.info(
          `Rollback of ${binding.deploymentName} in ${binding.namespace}: rollout ${status.phase} (${status.message})`,
        );
      })
      .catch(error => {
        this.options.logger.warn(
          `Lost track of the rollout of ${binding.deploymentName} in ${binding.namespace}: ${error}`,
        );
      })
      .finally(() => this.following.delete(controller));
  }

  private async recordFailure(
    entry: NewAuditEntry,
    error: unknown,
  ): Promise<void> {
    if (entry.permission === 'allowed') entry.result = 'failed';
    entry.error =
      error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
    try {
      await this.options.auditTrail.record(entry);
    } catch (auditError) {
      this.options.logger.error(
        `Could not write the audit entry of a failed ${entry.action}: ${auditError}`,
      );
    }
  }

  private async authorizeAttempt(
    entity: Entity,
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    entry: NewAuditEntry,
    what: string,
  ): Promise<void> {
    try {
      await this.authorize(entity, credentials, permission, what);
    } catch (error) {
      entry.permission = 'denied';
      entry.result = 'denied';
      throw error;
    }
  }

  /** An ownership refusal is recorded as a denial, like a permission refusal. */
  private async deniedUnlessBound(
    entry: NewAuditEntry,
    check: () => Promise<void>,
  ): Promise<void> {
    try {
      await check();
    } catch (error) {
      const reason = (error as { details?: { reason?: string } }).details
        ?.reason;
      if (
        reason === 'namespace-not-bound' ||
        reason === 'repository-not-bound'
      ) {
        entry.permission = 'denied';
        entry.result = 'denied';
      }
      throw error;
    }
  }

  private async authorize(
    entity: Entity,
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    what: string,
  ): Promise<void> {
    const ref = stringifyEntityRef(entity);
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${what} ${ref} (permission ${permission.name})`,
      );
    }
  }

  private async displayName(
    userEntityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string | null> {
    try {
      const user = await this.options.catalog.getEntityByRef(userEntityRef, {
        credentials,
      });
      const profile = (
        user?.spec as { profile?: { displayName?: unknown } } | undefined
      )?.profile;
      const name =
        typeof profile?.displayName === 'string'
          ? profile.displayName
          : user?.metadata.title;
      return name ?? null;
    } catch {
      return null;
    }
  }

  private bindingsOf(entity: Entity): EnvironmentBinding[] {
    return environmentsOfEntity(
      entity,
      this.options.templates,
      this.options.clusters.defaultCluster,
    );
  }

  private bindingOf(entity: Entity, environment: string): EnvironmentBinding {
    const bindings = this.bindingsOf(entity);
    const binding = bindings.find(b => b.name === environment);
    if (!binding) {
      throw Object.assign(
        new NotFoundError(
          `${stringifyEntityRef(
            entity,
          )} has no environment "${environment}" (environments: ${bindings
            .map(b => b.name)
            .join(', ')})`,
        ),
        { details: { reason: 'unknown-environment' } },
      );
    }
    return binding;
  }

  private repositoryOrError(entity: Entity): RepositoryRef | Error {
    try {
      return repositoryOfEntity(entity, this.options.githubHost);
    } catch (error) {
      return error as Error;
    }
  }
}

/** What an audit row can say about a review request before it is validated. */
function parseReviewRequestLenient(body: unknown): {
  decision?: string;
  environments?: string[];
  comment?: string;
} {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<
    string,
    unknown
  >;
  return {
    decision: typeof fields.decision === 'string' ? fields.decision : undefined,
    environments: Array.isArray(fields.environments)
      ? fields.environments.filter((e): e is string => typeof e === 'string')
      : undefined,
    comment:
      typeof fields.comment === 'string'
        ? fields.comment.slice(0, MAX_TEXT)
        : undefined,
  };
}
