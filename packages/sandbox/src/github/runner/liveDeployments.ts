import { addRunDeployment, addStatus } from '../../world/pipelineRuns';
import {
  DeploymentRecord,
  DeploymentStatusRecord,
  EnvironmentRecord,
  RunRecord,
  WorldState,
} from '../../world/records';
import { addEnvironment, recordsOf } from '../../world/repositoryIndex';
import { iso } from '../../world/timestamps';

/*
 * The environments and deployments of a live run, as GitHub Actions keeps them: a job with
 * `environment:` uses the repository's environment of that name (created without protection
 * rules when it does not exist yet, as GitHub does), and its deployment moves through waiting →
 * queued → in_progress → success/failure, the previous successful one becoming inactive.
 */

export function environmentNamed(
  state: WorldState,
  repositoryId: number,
  name: string,
): EnvironmentRecord {
  const existing = recordsOf(state, repositoryId).environments.find(
    environment => environment.name === name,
  );
  if (existing) return existing;
  state.sequences.environment += 1;
  const now = iso(Date.now());
  const created: EnvironmentRecord = {
    id: state.sequences.environment,
    repositoryId,
    name,
    createdAt: now,
    updatedAt: now,
    waitTimer: 0,
    reviewers: [],
    preventSelfReview: false,
    protectedBranchesOnly: false,
    url: '',
  };
  addEnvironment(state, created);
  return created;
}

export function createDeployment(
  state: WorldState,
  run: RunRecord,
  environment: string,
  imageTag: string | null,
): DeploymentRecord {
  return addRunDeployment(state, run, environment, imageTag, iso(Date.now()));
}

export function deploymentStatus(
  state: WorldState,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord['state'],
  creatorLogin: string,
  urls: { logUrl: string; environmentUrl?: string },
  description = '',
): void {
  const at = iso(Date.now());
  addStatus(state, deployment, {
    state: status,
    creatorLogin,
    description,
    environmentUrl: urls.environmentUrl ?? '',
    logUrl: urls.logUrl,
    createdAt: at,
  });
  if (status !== 'success') return;
  for (const previous of recordsOf(state, deployment.repositoryId)
    .deployments) {
    if (
      previous === deployment ||
      previous.environment !== deployment.environment
    )
      continue;
    const latest = previous.statuses.at(-1);
    if (latest?.state !== 'success') continue;
    addStatus(state, previous, {
      state: 'inactive',
      creatorLogin,
      description: '',
      environmentUrl: latest.environmentUrl,
      logUrl: latest.logUrl,
      createdAt: at,
    });
  }
}
