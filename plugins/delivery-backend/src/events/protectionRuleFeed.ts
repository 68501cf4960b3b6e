import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { z } from 'zod';
import { GateRequest, ProtectionGates } from '../environments/protectionGates';
import { CachedGitHub } from '../github/cachedGitHub';
import { RunWaitListener } from '../insights/deploymentHistory';

/** The webhook topic GitHub asks the portal's App on (GithubEventRouter's `github.<event>`). */
const TOPIC = 'github.deployment_protection_rule';

/** What the portal reads of a deployment_protection_rule webhook (@octokit/webhooks-schemas). */
const requestedSchema = z.object({
  action: z.literal('requested'),
  environment: z.string().min(1).max(255),
  deployment_callback_url: z.string().min(1).max(1024),
  deployment: z.object({
    id: z.number().int().positive(),
    environment: z.string(),
    creator: z.object({ login: z.string() }).nullable().optional(),
  }),
  repository: z.object({ full_name: z.string().regex(/^[^/]+\/[^/]+$/) }),
  sender: z.object({ login: z.string() }).nullable().optional(),
});

const CALLBACK_PATH =
  /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d{1,18})\/deployment_protection_rule$/;

/**
 * The gate a deployment_protection_rule webhook asks for, checked: the payload has what GitHub
 * sends, and its callback is GitHub's own URL for that repository's run on the configured API
 * (`apiBaseUrl`) — the portal never calls an address a webhook names, and reads the run id from
 * it only once it is GitHub's. Throws InputError otherwise.
 */
export function gateRequestOf(
  payload: unknown,
  options: { apiBaseUrl: string; now: number },
): GateRequest {
  const parsed = requestedSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InputError(
      `Not a deployment_protection_rule request: ${parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'payload'}: ${issue.message}`)
        .join('; ')}`,
    );
  }
  const request = parsed.data;
  const repository = request.repository.full_name.toLocaleLowerCase('en-US');
  const base = options.apiBaseUrl.replace(/\/+$/, '');
  const url = request.deployment_callback_url;
  const path = url.startsWith(`${base}/`) ? url.slice(base.length) : undefined;
  const match = path && CALLBACK_PATH.exec(path);
  if (
    !match ||
    `${match[1]}/${match[2]}`.toLocaleLowerCase('en-US') !== repository
  ) {
    throw new InputError(
      `The deployment_callback_url ${url} is not GitHub's callback for a run of ${repository} on ${base}: refused`,
    );
  }
  if (request.deployment.environment !== request.environment) {
    throw new InputError(
      `The deployment is for ${request.deployment.environment}, the request for ${request.environment}`,
    );
  }
  return {
    repository,
    runId: Number(match[3]),
    environment: request.environment,
    deploymentId: request.deployment.id,
    callbackUrl: url,
    requester: request.sender?.login ?? null,
    deploymentCreator: request.deployment.creator?.login ?? null,
    requestedAt: options.now,
  };
}

/**
 * Records the deployments GitHub asks the portal to decide, as the portal's GitHub App's
 * deployment_protection_rule webhooks arrive through the events path (signed, each delivery
 * once). One subscription for all replicas: each request is recorded once, and the owning team
 * is told the run waits.
 */
export class ProtectionRuleFeed {
  constructor(
    private readonly options: {
      events: EventsService;
      gates: Pick<ProtectionGates, 'recordRequest'>;
      /** Expired once a gate is recorded: every replica and open page of the repository hears it. */
      github: Pick<CachedGitHub, 'expire'>;
      githubHost: string;
      /** The configured GitHub host's API base URL: the only callbacks accepted. */
      apiBaseUrl: string;
      /** Told when a run begins waiting on the portal's rule. */
      onRequested?: RunWaitListener;
      logger: LoggerService;
    },
  ) {}

  async start(): Promise<void> {
    await this.options.events.subscribe({
      id: 'delivery-protection-rules',
      topics: [TOPIC],
      onEvent: event =>
        this.onEvent(event).catch(error =>
          this.options.logger.warn(
            `Refused a deployment_protection_rule webhook: ${error}`,
          ),
        ),
    });
  }

  async onEvent(event: EventParams): Promise<void> {
    const action = (event.eventPayload as { action?: unknown }).action;
    if (action !== 'requested') return;
    const now = Date.now();
    const request = gateRequestOf(event.eventPayload, {
      apiBaseUrl: this.options.apiBaseUrl,
      now,
    });
    const recorded = await this.options.gates.recordRequest(request);
    if (!recorded) return;
    const [owner, name] = request.repository.split('/');
    this.options.github.expire({ host: this.options.githubHost, owner, name });
    this.options.logger.info(
      `Run ${request.runId} of ${request.repository} waits on the portal's protection rule for ${request.environment}`,
    );
    await this.options.onRequested?.([
      {
        repository: request.repository,
        runId: request.runId,
        change: 'began',
        status: 'waiting',
        conclusion: null,
        updatedAt: now,
      },
    ]);
  }
}
