import {
  AlertRecord,
  AnalysisRecord,
  ArtifactRecord,
  CommitRecord,
  DeploymentRecord,
  EnvironmentRecord,
  JobRecord,
  RepositoryRecord,
  RunRecord,
  SarifUploadRecord,
  WorkflowRecord,
  WorldState,
} from './records';

/*
 * The world's records by repository. The state keeps flat lists (what a snapshot holds); this
 * index, built once per state and kept up to date by the add/remove functions below, answers
 * "the runs of this repository" or "the jobs of this run" without scanning every repository's
 * records, so a world of many repositories stays as fast as one of a single repository.
 */

/** Everything one repository owns, in the order it was recorded. */
export interface RepositoryRecords {
  commits: CommitRecord[];
  workflows: WorkflowRecord[];
  runs: RunRecord[];
  environments: EnvironmentRecord[];
  deployments: DeploymentRecord[];
  artifacts: ArtifactRecord[];
  sarifUploads: SarifUploadRecord[];
  analyses: AnalysisRecord[];
  alerts: AlertRecord[];
  /** Alerts by their identity across analyses (tool, rule and location). */
  alertsByFingerprint: Map<string, AlertRecord>;
}

function emptyRecords(): RepositoryRecords {
  return {
    commits: [],
    workflows: [],
    runs: [],
    environments: [],
    deployments: [],
    artifacts: [],
    sarifUploads: [],
    analyses: [],
    alerts: [],
    alertsByFingerprint: new Map(),
  };
}

function fullName(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

class WorldIndex {
  private readonly repositories = new Map<number, RepositoryRecords>();
  /** The repositories the world holds (seeded and generated), by lower-case `owner/name` and by id. */
  readonly repositoriesByName = new Map<string, RepositoryRecord>();
  readonly repositoriesById = new Map<number, RepositoryRecord>();
  readonly runs = new Map<number, RunRecord>();
  readonly jobs = new Map<number, JobRecord>();
  readonly jobsByRun = new Map<number, JobRecord[]>();
  readonly artifacts = new Map<number, ArtifactRecord>();

  constructor(state: WorldState) {
    [state.repository, ...(state.generatedRepositories ?? [])].forEach(record =>
      this.addRepository(record),
    );
    state.commits.forEach(record => this.of(record).commits.push(record));
    state.workflows.forEach(record => this.of(record).workflows.push(record));
    state.runs.forEach(record => this.addRun(record));
    state.jobs.forEach(record => this.addJob(record));
    state.environments.forEach(record =>
      this.of(record).environments.push(record),
    );
    state.deployments.forEach(record =>
      this.of(record).deployments.push(record),
    );
    state.artifacts.forEach(record => this.addArtifact(record));
    state.sarifUploads.forEach(record =>
      this.of(record).sarifUploads.push(record),
    );
    state.analyses.forEach(record => this.of(record).analyses.push(record));
    state.alerts.forEach(record => this.addAlert(record));
  }

  repository(id: number): RepositoryRecords {
    let records = this.repositories.get(id);
    if (!records) {
      records = emptyRecords();
      this.repositories.set(id, records);
    }
    return records;
  }

  addRepository(repository: RepositoryRecord): void {
    this.repositoriesByName.set(
      fullName(repository.owner, repository.name),
      repository,
    );
    this.repositoriesById.set(repository.id, repository);
  }

  of(record: { repositoryId: number }): RepositoryRecords {
    return this.repository(record.repositoryId);
  }

  addRun(run: RunRecord): void {
    this.of(run).runs.push(run);
    this.runs.set(run.id, run);
  }

  addJob(job: JobRecord): void {
    this.jobs.set(job.id, job);
    const jobs = this.jobsByRun.get(job.runId);
    if (jobs) jobs.push(job);
    else this.jobsByRun.set(job.runId, [job]);
  }

  addArtifact(artifact: ArtifactRecord): void {
    this.of(artifact).artifacts.push(artifact);
    this.artifacts.set(artifact.id, artifact);
  }

  addAlert(alert: AlertRecord): void {
    const records = this.of(alert);
    records.alerts.push(alert);
    records.alertsByFingerprint.set(alert.fingerprint, alert);
  }
}

const indexes = new WeakMap<WorldState, WorldIndex>();

function indexOf(state: WorldState): WorldIndex {
  let index = indexes.get(state);
  if (!index) {
    index = new WorldIndex(state);
    indexes.set(state, index);
  }
  return index;
}

/** The records of one repository (empty lists for a repository with none yet). */
export function recordsOf(
  state: WorldState,
  repositoryId: number,
): RepositoryRecords {
  return indexOf(state).repository(repositoryId);
}

/** A repository the world holds records for (the seeded one or a generated one), by name. */
export function findRepository(
  state: WorldState,
  owner: string,
  name: string,
): RepositoryRecord | undefined {
  return indexOf(state).repositoriesByName.get(fullName(owner, name));
}

export function findRepositoryById(
  state: WorldState,
  id: number,
): RepositoryRecord | undefined {
  return indexOf(state).repositoriesById.get(id);
}

export function findRunById(
  state: WorldState,
  id: number,
): RunRecord | undefined {
  return indexOf(state).runs.get(id);
}

export function findJobById(
  state: WorldState,
  id: number,
): JobRecord | undefined {
  return indexOf(state).jobs.get(id);
}

export function findArtifactById(
  state: WorldState,
  id: number,
): ArtifactRecord | undefined {
  return indexOf(state).artifacts.get(id);
}

/** Every attempt's jobs of a run, in the order they were recorded. */
export function jobsOfRun(state: WorldState, runId: number): JobRecord[] {
  return indexOf(state).jobsByRun.get(runId) ?? [];
}

/*
 * Adding records: the flat list of the state and, once built, the index. Code that records
 * something goes through these so the two never disagree.
 */

/** A repository beyond the seeded one whose records the world will hold (see scaleWorld.ts). */
export function addRepository(
  state: WorldState,
  repository: RepositoryRecord,
): void {
  (state.generatedRepositories ??= []).push(repository);
  indexes.get(state)?.addRepository(repository);
}

export function addCommit(state: WorldState, commit: CommitRecord): void {
  state.commits.push(commit);
  indexes.get(state)?.of(commit).commits.push(commit);
}

export function addWorkflow(state: WorldState, workflow: WorkflowRecord): void {
  state.workflows.push(workflow);
  indexes.get(state)?.of(workflow).workflows.push(workflow);
}

export function addRun(state: WorldState, run: RunRecord): void {
  state.runs.push(run);
  indexes.get(state)?.addRun(run);
}

export function addJob(state: WorldState, job: JobRecord): void {
  state.jobs.push(job);
  indexes.get(state)?.addJob(job);
}

export function addEnvironment(
  state: WorldState,
  environment: EnvironmentRecord,
): void {
  state.environments.push(environment);
  indexes.get(state)?.of(environment).environments.push(environment);
}

export function addDeployment(
  state: WorldState,
  deployment: DeploymentRecord,
): void {
  state.deployments.push(deployment);
  indexes.get(state)?.of(deployment).deployments.push(deployment);
}

/** Forgets deployments (a cancelled run's deployments that had not happened yet). */
export function removeDeployments(
  state: WorldState,
  remove: (deployment: DeploymentRecord) => boolean,
): void {
  const removed = state.deployments.filter(remove);
  if (removed.length === 0) return;
  state.deployments = state.deployments.filter(d => !remove(d));
  const index = indexes.get(state);
  if (!index) return;
  for (const repositoryId of new Set(removed.map(d => d.repositoryId))) {
    const records = index.repository(repositoryId);
    records.deployments = records.deployments.filter(d => !removed.includes(d));
  }
}

export function addArtifact(state: WorldState, artifact: ArtifactRecord): void {
  state.artifacts.push(artifact);
  indexes.get(state)?.addArtifact(artifact);
}

export function addSarifUpload(
  state: WorldState,
  upload: SarifUploadRecord,
): void {
  state.sarifUploads.push(upload);
  indexes.get(state)?.of(upload).sarifUploads.push(upload);
}

export function addAnalysis(state: WorldState, analysis: AnalysisRecord): void {
  state.analyses.push(analysis);
  indexes.get(state)?.of(analysis).analyses.push(analysis);
}

export function addAlert(state: WorldState, alert: AlertRecord): void {
  state.alerts.push(alert);
  indexes.get(state)?.addAlert(alert);
}
