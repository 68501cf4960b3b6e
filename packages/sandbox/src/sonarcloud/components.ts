import { SonarBranchRecord, SonarProjectRecord } from '../world/records';
import { SandboxWorld } from '../world/sandboxWorld';
import { SonarError } from './sonarError';

/* Components the web services address: a project by key, and one of its branches (main by default). */

export function findProject(
  world: SandboxWorld,
  key: string,
): SonarProjectRecord {
  const project = world.state.sonar.find(p => p.key === key);
  if (!project) throw new SonarError(404, `Component key '${key}' not found`);
  return project;
}

export function findBranch(
  project: SonarProjectRecord,
  name: string | null,
): SonarBranchRecord {
  const branch = name
    ? project.branches.find(b => b.name === name)
    : project.branches.find(b => b.isMain);
  if (!branch)
    throw new SonarError(
      404,
      `Component '${project.key}' on branch '${name}' not found`,
    );
  return branch;
}
