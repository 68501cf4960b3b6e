import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** The HTTP request an auditor event records the origin of; services pass it on unread. */
export type AuditedRequest = AuditorServiceCreateEventOptions['request'];

/**
 * Runs a write as one auditor event: succeeded with the meta the write returns, or failed with
 * its error. Every attempt is recorded — denied, refused or failed at the source as much as done.
 */
export async function withAuditorEvent<T>(
  auditor: AuditorService,
  options: AuditorServiceCreateEventOptions,
  act: () => Promise<{ value: T; meta: JsonObject }>,
): Promise<T> {
  const event = await auditor.createEvent(options);
  try {
    const { value, meta } = await act();
    await event.success({ meta });
    return value;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
