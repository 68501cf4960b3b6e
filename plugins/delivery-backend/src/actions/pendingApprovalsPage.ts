import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { z } from 'zod/v3';
import { ApprovalsInbox } from '../approvals/approvalsInbox';

/*
 * The deployments waiting for a review the calling person may decide, a page at a time: the
 * approvals inbox's answer (the components the person may approve, less the runs they started),
 * in the shape an assistant reads.
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
      .describe(
        'How many approvals to skip, longest waiting first (default 0).',
      ),
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
          owner: zod.string().describe("The owning group's entity ref."),
          repository: zod.string().describe('owner/name on GitHub'),
          runId: zod.number(),
          runNumber: zod.number(),
          runName: zod.string(),
          headSha: zod.string(),
          branch: zod.string(),
          commitMessage: zod
            .string()
            .nullable()
            .describe("The first line of the head commit's message."),
          requestedBy: zod
            .object({
              login: zod.string().nullable(),
              userRefs: zod.array(zod.string()),
            })
            .describe(
              'Who started the run on GitHub, and who they are in the catalog.',
            ),
          waitingSince: zod
            .string()
            .describe('When it began waiting (ISO 8601).'),
          environments: zod
            .array(
              zod.object({
                githubEnvironment: zod
                  .string()
                  .describe('The GitHub environment, e.g. production.'),
                environment: zod
                  .string()
                  .nullable()
                  .describe("The portal's name for it, e.g. prod."),
                waitTimerMinutes: zod.number(),
              }),
            )
            .describe('The environments it waits for.'),
          gatesPassed: zod
            .array(zod.object({ id: zod.string(), title: zod.string() }))
            .nullable()
            .describe(
              'The pipeline gates it passed before waiting; null when unknown now.',
            ),
          htmlUrl: zod.string().describe("The run's page on GitHub."),
        }),
      )
      .describe('Longest waiting first.'),
    totalCount: zod.number().describe('How many are waiting for you in all.'),
    nextOffset: zod
      .number()
      .nullable()
      .describe('The offset of the next page; null on the last page.'),
    startedByYou: zod
      .number()
      .describe(
        'Waiting runs you started yourself: someone else must approve them, so they are not listed.',
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

/** The approvals inbox, a page at a time, for an assistant. */
export class PendingApprovalsPage {
  constructor(private readonly inbox: Pick<ApprovalsInbox, 'inbox'>) {}

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
    const answer = await this.inbox.inbox(credentials, page);
    const end = page.offset + page.limit;
    return {
      approvals: answer.items.map(item => ({
        entityRef: item.entityRef,
        title: item.title,
        owner: item.owner,
        repository: item.repository,
        runId: item.runId,
        runNumber: item.runNumber,
        runName: item.runName,
        headSha: item.headSha,
        branch: item.branch,
        commitMessage: item.commitMessage,
        requestedBy: item.requestedBy,
        waitingSince: item.waitingSince,
        environments: item.environments.map(e => ({
          githubEnvironment: e.githubEnvironment,
          environment: e.environment,
          waitTimerMinutes: e.waitTimerMinutes,
        })),
        gatesPassed: item.gatesPassed,
        htmlUrl: item.htmlUrl,
      })),
      totalCount: answer.totalCount,
      nextOffset: end < answer.totalCount ? end : null,
      startedByYou: answer.startedByYou.length,
    };
  }
}
