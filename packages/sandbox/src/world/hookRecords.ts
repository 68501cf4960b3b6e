/*
 * Webhooks as the sandbox keeps them: a leaf module, records.ts and the webhooks code import it.
 */

/** A webhook of a repository or of an organisation (REST /repos/…/hooks, /orgs/…/hooks). */
export interface HookRecord {
  id: number;
  /** The repository's id, or the organisation's login, whose changes it is told about. */
  scope: { repositoryId: number } | { organization: string };
  /** `["*"]` for every event. */
  events: string[];
  active: boolean;
  url: string;
  contentType: 'json' | 'form';
  /** Signs each delivery (X-Hub-Signature-256); never shown back by the API. */
  secret: string | null;
  insecureSsl: '0' | '1';
  /** How the last delivery went (`unused` before the first). */
  lastResponse: { code: number | null; status: string; message: string | null };
  createdAt: string;
  updatedAt: string;
}
