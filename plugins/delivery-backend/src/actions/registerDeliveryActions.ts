import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  DeliveryStatus,
  deliveryStatusInput,
  deliveryStatusOutput,
} from './deliveryStatus';
import {
  MAX_PAGE,
  PendingApprovalsPage,
  pendingApprovalsInput,
  pendingApprovalsOutput,
} from './pendingApprovalsPage';

/** What the delivery actions read through. */
export interface DeliveryActions {
  status: DeliveryStatus;
  pendingApprovals: PendingApprovalsPage;
}

/** Only reads: an assistant may call them as often as it likes, and they change nothing. */
const READ_ONLY = { readOnly: true, destructive: false, idempotent: true };

/**
 * Registers the delivery plugin's actions (served over MCP by mcp-actions-backend when
 * backend.actions.pluginSources lists `delivery`). Each runs with the caller's credentials, so
 * the permission policy and the catalog's visibility apply exactly as on the HTTP routes.
 */
export function registerDeliveryActions(
  registry: ActionsRegistryService,
  actions: DeliveryActions,
): void {
  registry.register({
    name: 'get-delivery-status',
    title: 'Get delivery status',
    description: [
      "A component's delivery status in the Titanic Portal: its newest pipeline run on the default branch with each gate's result (and, for a failed gate, why), its open security and quality findings counted per severity (code scanning and SonarCloud), SonarCloud's quality gate, and per environment (dev, staging, prod) what is deployed, how healthy it is and whether a run waits for approval to deploy there.",
      'Use it to answer "is X healthy / why did its pipeline fail / what runs in prod / how many critical findings does X have".',
      'Reads with your permissions: a component you may not see answers not found, one whose delivery data you may not read answers not allowed.',
    ].join(' '),
    attributes: READ_ONLY,
    schema: { input: deliveryStatusInput, output: deliveryStatusOutput },
    examples: [
      {
        title: 'The status of titanic-service',
        input: { entityRef: 'component:default/titanic-service' },
      },
    ],
    action: async ({ input, credentials }) => ({
      output: await actions.status.status(input.entityRef, credentials),
    }),
  });

  registry.register({
    name: 'list-pending-approvals',
    title: 'List my pending deployment approvals',
    description: [
      'The deployments waiting for a review that you, the signed-in user, may approve or reject in the Titanic Portal, longest waiting first: the component and its owner, the GitHub run, branch and commit message, who started it, since when it waits, the environments it waits for (e.g. production) and the gates it passed.',
      'Runs you started yourself are left out (someone else must approve them) and counted in startedByYou.',
      `Paged: pass offset and limit (at most ${MAX_PAGE}); nextOffset is null on the last page.`,
      'Only for users: a service principal has no approvals of its own and is refused.',
      'This lists; approving or rejecting is done in the portal.',
    ].join(' '),
    attributes: READ_ONLY,
    schema: { input: pendingApprovalsInput, output: pendingApprovalsOutput },
    examples: [
      {
        title: 'The first page of my approvals',
        input: { offset: 0, limit: 20 },
      },
    ],
    action: async ({ input, credentials }) => ({
      output: await actions.pendingApprovals.page(credentials, input),
    }),
  });
}
