import { invalidRequest } from '../errors';
import { renderDeployment } from '../representations/deploymentRepresentations';
import {
  renderApproval,
  renderPendingDeployment,
} from '../representations/deploymentReviewRepresentations';
import { Route, jsonBody } from '../routing';
import { DOCS, findRun } from './actionsRoutes';

/** Reviewing the deployments a run waits for, and the reviews it received (GitHub's workflow-runs API). */
export const deploymentReviewRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
    handler: ctx => {
      const run = findRun(ctx);
      return {
        body: ctx.engine
          .pendingDeployments(run, ctx.now)
          .map(pending =>
            renderPendingDeployment(
              ctx,
              pending,
              ctx.engine.canReview(ctx.user, pending.environment, run),
            ),
          ),
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments',
    write: true,
    handler: ctx => {
      const run = findRun(ctx);
      const docs = `${DOCS}/workflow-runs#review-pending-deployments-for-a-workflow-run`;
      const body = jsonBody(ctx, docs);
      const missing = ['environment_ids', 'state', 'comment'].filter(
        key => body[key] === undefined,
      );
      if (missing.length > 0) {
        throw invalidRequest(
          missing.map(key => `"${key}" wasn't supplied.`).join('\n'),
          docs,
        );
      }
      const ids = body.environment_ids;
      if (!Array.isArray(ids) || ids.some(id => !Number.isInteger(id))) {
        throw invalidRequest(
          `For 'properties/environment_ids', ${JSON.stringify(
            ids,
          )} is not an array of integers.`,
          docs,
        );
      }
      if (body.state !== 'approved' && body.state !== 'rejected') {
        throw invalidRequest(
          `For 'properties/state', ${JSON.stringify(
            body.state,
          )} is not a possible value.`,
          docs,
        );
      }
      if (typeof body.comment !== 'string') {
        throw invalidRequest(
          `For 'properties/comment', ${JSON.stringify(
            body.comment,
          )} is not a string.`,
          docs,
        );
      }
      const deployments = ctx.engine.review(
        run,
        ctx.user!,
        ids as number[],
        body.state,
        body.comment,
        ctx.now,
      );
      return {
        body: deployments.map(deployment => renderDeployment(ctx, deployment)),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals',
    handler: ctx => {
      const run = findRun(ctx);
      const approvals = ctx.state.approvals
        .filter(a => a.runId === run.id)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return {
        body: approvals.map(approval => renderApproval(ctx, approval)),
      };
    },
  },
];
