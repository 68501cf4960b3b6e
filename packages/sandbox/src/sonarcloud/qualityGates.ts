import { SonarBranchRecord, SonarProjectRecord } from '../world/records';
import { SandboxWorld } from '../world/sandboxWorld';
import { findBranch } from './components';
import { SonarError } from './sonarError';

/* api/qualitygates: the quality gate status of a project's branch or of one analysis. */

export function projectStatus(world: SandboxWorld, query: URLSearchParams) {
  const key = query.get('projectKey');
  const analysisId = query.get('analysisId');
  if (!key && !analysisId && !query.get('projectId')) {
    throw new SonarError(
      400,
      "Either 'analysisId', 'projectId' or 'projectKey' must be provided",
    );
  }
  let project: SonarProjectRecord;
  let branch: SonarBranchRecord;
  if (analysisId) {
    const found = world.state.sonar
      .flatMap(p => p.branches.map(b => ({ p, b })))
      .find(({ b }) => b.analysisId === analysisId);
    if (!found)
      throw new SonarError(
        404,
        `Analysis with id '${analysisId}' is not found`,
      );
    project = found.p;
    branch = found.b;
  } else {
    project =
      world.state.sonar.find(p => p.key === key) ??
      (() => {
        throw new SonarError(404, `Project '${key}' not found`);
      })();
    branch = findBranch(project, query.get('branch'));
  }
  return {
    projectStatus: {
      status: branch.qualityGateStatus,
      conditions: branch.conditions.map(condition => ({
        status: condition.status,
        metricKey: condition.metricKey,
        comparator: condition.comparator,
        errorThreshold: condition.errorThreshold,
        actualValue: condition.actualValue,
      })),
      ignoredConditions: false,
      period: { mode: 'PREVIOUS_VERSION', date: branch.periodDate },
      caycStatus: 'compliant',
    },
  };
}
