import { compareRoutes } from '../../history/compareRoutes';
import { withServiceHistories } from '../../history/historyRoutes';
import { Route } from '../routing';
import { actionsRoutes, downloadRoutes } from './actionsRoutes';
import { appRoutes } from './appRoutes';
import { checkRoutes } from './checkRoutes';
import { codeScanningRoutes } from './codeScanningRoutes';
import { deploymentReviewRoutes } from './deploymentReviewRoutes';
import { deploymentRoutes } from './deploymentRoutes';
import { hookRoutes } from './hookRoutes';
import { hostingDownloadRoutes, hostingRoutes } from './hostingRoutes';
import { organizationRoutes } from './organizationRoutes';
import { protectionRuleRoutes } from './protectionRuleRoutes';
import { repositoryRoutes } from './repositoryRoutes';

/** Every GitHub REST operation the sandbox implements (the services' histories answer GETs too). */
export const githubApiRoutes: readonly Route[] = withServiceHistories([
  ...repositoryRoutes,
  ...compareRoutes,
  ...actionsRoutes,
  ...deploymentReviewRoutes,
  ...protectionRuleRoutes,
  ...deploymentRoutes,
  ...checkRoutes,
  ...codeScanningRoutes,
  ...hostingRoutes,
  ...organizationRoutes,
  ...hookRoutes,
  ...appRoutes,
]);

/** The signed download URLs that job logs, run logs, artifacts and tarballs redirect to. */
export const signedDownloadRoutes: readonly Route[] = [
  ...downloadRoutes,
  ...hostingDownloadRoutes,
];
