import { PendingDeployment } from '../actionsEngine';
import { ApprovalRecord } from '../../world/records';
import {
  renderEnvironment,
  renderEnvironmentSummary,
  renderReviewer,
} from './deploymentRepresentations';
import { recordsOf } from '../../world/repositoryIndex';
import { RenderContext, repositoryOf } from './renderContext';
import { renderUserByLogin } from './repositoryRepresentations';

/* The deployments a run waits for and the reviews it received (routes/deploymentReviewRoutes.ts). */

export function renderPendingDeployment(
  ctx: RenderContext,
  pending: PendingDeployment,
  currentUserCanApprove: boolean,
) {
  return {
    environment: renderEnvironmentSummary(ctx, pending.environment),
    wait_timer: pending.environment.waitTimer,
    wait_timer_started_at: pending.waitTimerStartedAt,
    current_user_can_approve: currentUserCanApprove,
    reviewers: pending.environment.reviewers.map(reviewer =>
      renderReviewer(ctx, reviewer),
    ),
  };
}

export function renderApproval(ctx: RenderContext, approval: ApprovalRecord) {
  return {
    environments: approval.environmentNames.map(name => {
      const environment = recordsOf(
        ctx.state,
        repositoryOf(ctx).id,
      ).environments.find(e => e.name === name)!;
      const rendered = renderEnvironment(ctx, environment);
      return {
        id: rendered.id,
        node_id: rendered.node_id,
        name: rendered.name,
        url: rendered.url,
        html_url: rendered.html_url,
        created_at: rendered.created_at,
        updated_at: rendered.updated_at,
      };
    }),
    state: approval.state,
    user: renderUserByLogin(ctx, approval.userLogin),
    comment: approval.comment,
  };
}
