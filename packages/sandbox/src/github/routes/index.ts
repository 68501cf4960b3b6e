import { Route } from '../routing';
import { actionsRoutes, downloadRoutes } from './actionsRoutes';
import { checkRoutes } from './checkRoutes';
import { codeScanningRoutes } from './codeScanningRoutes';
import { deploymentRoutes } from './deploymentRoutes';
import { repositoryRoutes } from './repositoryRoutes';

/** Every GitHub REST operation the sandbox implements. */
export const githubApiRoutes: readonly Route[] = [
  ...repositoryRoutes,
  ...actionsRoutes,
  ...deploymentRoutes,
  ...checkRoutes,
  ...codeScanningRoutes,
];

/** The signed download URLs that job logs, run logs and artifacts redirect to. */
export { downloadRoutes };
