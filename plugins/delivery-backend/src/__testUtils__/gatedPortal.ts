import { JsonObject } from '@backstage/types';
import { GITHUB_PORTAL_BOT_TOKEN, Sandbox } from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { ENTITIES_WITH_LOGINS } from './entities';
import {
  GATED_SERVICE,
  GatedRepository,
  gatedRepository,
  gatedService,
} from './gatedRepository';
import { WEBHOOK_SECRET } from './gitHubWebhooks';
import { eventually, startFastSandbox } from './kubernetesSandbox';
import { PostgresServer } from './postgresServer';
import { DeliveryBackend, startDeliveryBackend } from './startDeliveryBackend';

/*
 * The portal as the titanic-portal GitHub App's custom deployment protection rule, over a
 * repository the App gates alone (gatedRepository): a production replica on PostgreSQL whose
 * GitHub identity is the App (integrations.github[].apps), the App's webhook pointed at its
 * events path.
 */

const OWNER = 'acme-corp';

export interface GatedPortal {
  postgres: PostgresServer;
  sandbox: Sandbox;
  gated: GatedRepository;
  portal: DeliveryBackend;
  /** GitHub as the portal's bot sees it, to check what GitHub did. */
  bot: Octokit;
  /** Pushes a change (as bob); answers the id of the run it starts, once it waits. */
  startRun(message: string): Promise<number>;
  runStatus(
    runId: number,
  ): Promise<{ status: string | null; conclusion: string | null }>;
  close(): Promise<void>;
}

export async function startGatedPortal(
  options: {
    /** delivery.environments (default: dev, staging and prod). */
    environments?: JsonObject[];
  } = {},
): Promise<GatedPortal> {
  const postgres = await PostgresServer.start();
  // Live jobs at 1/200 of real time: a re-run reaches production in seconds.
  const sandbox = await startFastSandbox({ timeScale: 0.005 });
  const gated = await gatedRepository(sandbox.github.baseUrl);
  // The portal's GitHub identity is the App: configured with its id and key, as a platform team
  // would, Backstage exchanges the App's JWT for installation tokens.
  const portal = await startDeliveryBackend({
    sandbox,
    postgres,
    entities: [...ENTITIES_WITH_LOGINS, gatedService],
    protectionRule: true,
    githubApp: true,
    environments: options.environments,
  });
  const configured = await fetch(
    `${sandbox.github.baseUrl}/_sandbox/app/hook/config`,
    {
      method: 'PATCH',
      body: JSON.stringify({
        url: `${portal.baseUrl}/api/events/http/github`,
        content_type: 'json',
        secret: WEBHOOK_SECRET,
      }),
    },
  );
  if (!configured.ok) {
    throw new Error(
      `Could not point the App's webhook at the portal: ${configured.status}`,
    );
  }
  const bot = new Octokit({
    auth: GITHUB_PORTAL_BOT_TOKEN,
    baseUrl: sandbox.github.baseUrl,
  });
  return {
    postgres,
    sandbox,
    gated,
    portal,
    bot,
    async startRun(message) {
      const sha = await gated.push(message);
      const run = await eventually(
        async () => {
          const { data } = await bot.rest.actions.listWorkflowRunsForRepo({
            owner: OWNER,
            repo: GATED_SERVICE,
            head_sha: sha,
          });
          return data.workflow_runs.find(r => r.status === 'waiting');
        },
        `the run of ${sha} to wait`,
        60_000,
      );
      return run.id;
    },
    async runStatus(runId) {
      const { data } = await bot.rest.actions.getWorkflowRun({
        owner: OWNER,
        repo: GATED_SERVICE,
        run_id: runId,
      });
      return data;
    },
    async close() {
      await portal.close();
      await sandbox.close();
      await postgres.destroy();
      gated.remove();
    },
  };
}
