import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { reasonOf } from '@internal/plugin-delivery-common';
import { AuditedRequest, withAuditorEvent } from '../access/auditorEvents';
import { EntityAccess } from '../access/entityAccess';
import { AuditTrail, NewAuditEntry } from './auditTrail';

/*
 * The rules every approve, reject and rollback attempt follows: it is audited from the moment it
 * arrives — before its request is validated, the entity loaded or the caller allowed — and however
 * it ends, the audit table and the auditor event say so before the caller hears.
 */

/** A write as the caller sent it: what the audit can say of it at once, and the request validated. */
export interface WriteAttempt<Asked, Request> {
  /** What the caller asked, read leniently: every field of the right type, texts cut to size. */
  asked: Asked;
  /** The request, validated; throws 400 invalid-request. */
  validated(): Request;
}

/** What an attempt's audit entry says before anything is known of how it ends. */
export type AttemptFields = Omit<
  NewAuditEntry,
  | 'actor'
  | 'at'
  | 'entityRef'
  | 'actorDisplayName'
  | 'fromRevision'
  | 'permission'
  | 'result'
  | 'error'
> & { at?: string };

/** How the portal names the deciding user in GitHub comments and change causes. */
export function signature(entry: NewAuditEntry): string {
  return entry.actorDisplayName
    ? `${entry.actorDisplayName} (${entry.actor})`
    : entry.actor;
}

function denied(entry: NewAuditEntry): void {
  entry.permission = 'denied';
  entry.result = 'denied';
}

export class AuditedAttempts {
  constructor(
    private readonly options: {
      access: EntityAccess;
      auditor: AuditorService;
      auditTrail: AuditTrail;
      logger: LoggerService;
    },
  ) {}

  /**
   * One audited attempt: validates the request, loads the entity as the caller sees it and names
   * the caller, then acts. `act` records its success itself (its answer carries the audit id) and
   * returns the auditor event's meta; whatever fails is recorded as failed — or denied, when
   * {@link AuditedAttempts.authorize} or {@link AuditedAttempts.deniedUnlessBound} refused.
   */
  async run<Request, T>(attempt: {
    eventId: string;
    request?: AuditedRequest;
    /** The auditor event's meta beside the entity's ref, known before validation. */
    meta: JsonObject;
    entityRef: CompoundEntityRef;
    credentials: BackstageCredentials<BackstageUserPrincipal>;
    entry: AttemptFields;
    validated: () => Request;
    act: (
      entity: Entity,
      request: Request,
      entry: NewAuditEntry,
    ) => Promise<{ value: T; meta: JsonObject }>;
  }): Promise<T> {
    const { credentials } = attempt;
    const entry: NewAuditEntry = {
      at: new Date().toISOString(),
      actorDisplayName: null,
      fromRevision: null,
      permission: 'allowed',
      result: 'failed',
      error: null,
      ...attempt.entry,
      entityRef: stringifyEntityRef(attempt.entityRef),
      actor: credentials.principal.userEntityRef,
    };
    return withAuditorEvent(
      this.options.auditor,
      {
        eventId: attempt.eventId,
        severityLevel: 'high',
        request: attempt.request,
        meta: { entityRef: entry.entityRef, ...attempt.meta },
      },
      async () => {
        try {
          const request = attempt.validated();
          const entity = await this.options.access.entity(
            attempt.entityRef,
            credentials,
          );
          entry.entityRef = stringifyEntityRef(entity);
          entry.actorDisplayName = await this.displayName(
            entry.actor,
            credentials,
          );
          return await attempt.act(entity, request, entry);
        } catch (error) {
          await this.recordFailure(entry, error);
          throw error;
        }
      },
    );
  }

  /** Asks for the attempt's permission; a refusal is recorded as a denial. */
  async authorize(
    entry: NewAuditEntry,
    entity: Entity,
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<void> {
    try {
      await this.options.access.authorize(
        stringifyEntityRef(entity),
        credentials,
        permission,
      );
    } catch (error) {
      denied(entry);
      throw error;
    }
  }

  /** An ownership, four-eyes or identity refusal is recorded as a denial, like a permission refusal. */
  async deniedUnlessBound<T>(
    entry: NewAuditEntry,
    check: () => Promise<T> | T,
  ): Promise<T> {
    try {
      return await check();
    } catch (error) {
      const reason = reasonOf(error);
      if (
        reason === 'namespace-not-bound' ||
        reason === 'repository-not-bound' ||
        reason === 'self-review' ||
        reason === 'github-token-mismatch'
      )
        denied(entry);
      throw error;
    }
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

  private async displayName(
    userEntityRef: string,
    credentials: BackstageCredentials,
  ): Promise<string | null> {
    try {
      const user = await this.options.access.entity(userEntityRef, credentials);
      const profile = (
        user.spec as { profile?: { displayName?: unknown } } | undefined
      )?.profile;
      const name =
        typeof profile?.displayName === 'string'
          ? profile.displayName
          : user.metadata.title;
      return name ?? null;
    } catch {
      return null;
    }
  }
}
