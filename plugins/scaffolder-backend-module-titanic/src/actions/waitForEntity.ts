import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/** How long a task waits for the catalog by default: processing a new location takes seconds. */
export const DEFAULT_WAIT_SECONDS = 60;
const POLL_INTERVAL_MS = 250;

/**
 * Polls the catalog with the task initiator's credentials until the entity can be read, so that a
 * template's "Open in catalog" link lands on the entity rather than on "Entity not found".
 */
export async function waitForEntity(options: {
  catalog: CatalogService;
  entityRef: string;
  timeoutMs: number;
  read: () => Promise<Parameters<CatalogService['getEntityByRef']>[1]>;
  signal?: AbortSignal;
  pollIntervalMs?: number;
}): Promise<{ waitedMs: number }> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const interval = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  for (;;) {
    const entity = await options.catalog.getEntityByRef(
      options.entityRef,
      await options.read(),
    );
    if (entity) return { waitedMs: Date.now() - started };
    if (options.signal?.aborted) {
      throw new Error(
        `Stopped waiting for ${options.entityRef}: task cancelled`,
      );
    }
    if (Date.now() + interval > deadline) {
      throw new Error(
        `${options.entityRef} was registered but the catalog had not processed it after ` +
          `${Math.round(
            options.timeoutMs / 1000,
          )} s. It appears once processing completes; ` +
          'if it does not, the catalog logs the processing error of its location.',
      );
    }
    await new Promise(resolve => setTimeout(resolve, interval));
  }
}

export function createWaitForEntityAction(options: {
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'titanic:catalog:wait',
    description:
      'Waits until the catalog serves an entity, e.g. one just registered with catalog:register, ' +
      'so the task finishes only once its "Open in catalog" link works.',
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe('The entity to wait for, e.g. component:default/orders'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(600)
            .optional()
            .describe(
              `How long to wait before failing (default ${DEFAULT_WAIT_SECONDS})`,
            ),
      },
    },
    async handler(ctx) {
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(parseEntityRef(ctx.input.entityRef));
      } catch (error) {
        throw new InputError(
          `entityRef must be an entity reference such as component:default/orders; got ` +
            `"${ctx.input.entityRef}"`,
        );
      }
      const timeoutSeconds = ctx.input.timeoutSeconds ?? DEFAULT_WAIT_SECONDS;
      ctx.logger.info(
        `Waiting up to ${timeoutSeconds} s for the catalog to serve ${entityRef}`,
      );
      const { waitedMs } = await waitForEntity({
        catalog: options.catalog,
        entityRef,
        timeoutMs: timeoutSeconds * 1000,
        read: async () => ({
          credentials: await ctx.getInitiatorCredentials(),
        }),
        signal: ctx.signal,
      });
      ctx.logger.info(
        `${entityRef} is in the catalog (after ${(waitedMs / 1000).toFixed(
          1,
        )} s)`,
      );
    },
  });
}
