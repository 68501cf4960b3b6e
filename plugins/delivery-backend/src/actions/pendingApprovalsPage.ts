import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { z } from 'zod/v3';
import { ComponentDirectory } from '../insights/componentDirectory';
import { HistoryBackfill } from '../insights/historyBackfill';
import { PendingApprovalsSource } from '../insights/pendingApprovals';

/*
 * The deployments waiting for a review the calling person may decide, a page at a time, from
 * the same source and the same components as the home page's approvals: the components the
 * person may see and read, less those they may not approve, less the runs they started.
 */

export const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

export const pendingApprovalsInput = (zod: typeof z) =>
  zod.object({
    offset: zod
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('How many approvals to skip, newest first (default 0).'),
    limit: zod
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .default(DEFAULT_PAGE)
      .describe(
        `How many approvals to answer, 1 to ${MAX_PAGE} (default ${DEFAULT_PAGE}).`,
      ),
  });

export const pendingApprovalsOutput = (zod: typeof z) =>
  zod.object({
    approvals: zod
      .array(
        zod.object({
          entityRef: zod.string(),
          title: zod.string(),
          repository: zod.string().describe('owner/name on GitHub'),
          runId: zod.number(),
          runNumber: zod.number(),
          runName: zod.string(),
          headSha: zod.string(),
          branch: zod.string(),
          environments: zod
            .array(zod.string())
            .describe('The GitHub environments it waits for, e.g. production.'),
          environmentNames: zod
            .array(zod.string())
            .describe("The portal's names for them where known, e.g. prod."),
          createdAt: zod.string(),
          htmlUrl: zod.string().describe("The run's page on GitHub."),
        }),
      )
      .describe('Newest first.'),
    totalCount: zod.number().describe('How many are waiting in all.'),
    nextOffset: zod
      .number()
      .nullable()
      .describe('The offset of the next page; null on the last page.'),
    repositoriesBeingRead: zod
      .number()
      .describe(
        'Repositories whose history the portal is still reading: their approvals may be missing until it has (ask again shortly). 0 when the list is complete.',
      ),
  });

export type PendingApprovalsPageInput = z.infer<
  ReturnType<typeof pendingApprovalsInput>
>;
export type PendingApprovalsPageOutput = z.infer<
  ReturnType<typeof pendingApprovalsOutput>
>;

function isUser(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  return (credentials.principal as { type?: unknown }).type === 'user';
}

export class PendingApprovalsPage {
  constructor(
    private readonly options: {
      directory: ComponentDirectory;
      approvals: PendingApprovalsSource;
      backfill: HistoryBackfill;
    },
  ) {}

  /** 403 for anyone but a person: a service decides no reviews, and the audit must name who does. */
  async page(
    credentials: BackstageCredentials,
    page: PendingApprovalsPageInput,
  ): Promise<PendingApprovalsPageOutput> {
    if (!isUser(credentials)) {
      throw new NotAllowedError(
        'Pending approvals are a person’s: call this action as a signed-in user, not as a service',
      );
    }
    const { directory, backfill } = this.options;
    const [teams, readable] = await Promise.all([
      directory.groupsOf(credentials.principal.userEntityRef, credentials),
      directory.all(credentials),
    ]);
    const repositories = (components: typeof readable) => [
      ...new Set(components.flatMap(c => (c.repository ? [c.repository] : []))),
    ];
    // As the home page: the person's own services are read first, so their reviews are never
    // missing; the others are started, and counted while their first read is under way.
    await backfill.ensure(
      repositories(readable.filter(c => teams.includes(c.owner))),
      { wait: true },
    );
    const [stillRead, approvals] = await Promise.all([
      backfill.ensure(repositories(readable)),
      this.options.approvals.forPerson(readable, credentials),
    ]);
    const end = page.offset + page.limit;
    return {
      approvals: approvals.slice(page.offset, end),
      totalCount: approvals.length,
      nextOffset: end < approvals.length ? end : null,
      repositoriesBeingRead: stillRead.length,
    };
  }
}
