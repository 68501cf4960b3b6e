import type { DeploymentProtectionRules } from '../protectionRules';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeploymentRecord,
  RunRecord,
  UserRecord,
  WorldState,
} from '../../world/records';
import {
  addCommit,
  addRun,
  addWorkflow,
  jobsOfRun,
  recordsOf,
} from '../../world/repositoryIndex';
import { SandboxWorld } from '../../world/sandboxWorld';
import { iso } from '../../world/timestamps';
import { LiveRuns, PendingDeployment } from '../actionsEngine';
import {
  HostedRepositoryRecord,
  RepositoryPush,
  RepositoryStore,
} from '../hosting/repositoryStore';
import { webBaseUrl } from '../representations/hostingRepresentations';
import { readWorkflows } from './checkout';
import { ExpressionValue } from './expressions';
import { JobGraph, planJobs } from './jobGraph';
import { ClusterAccess } from './stepTypes';
import {
  WorkflowFile,
  WorkflowSyntaxError,
  triggeredByPush,
} from './workflowSyntax';
import { LiveRun, combinedResult } from './liveRun';
import { cancelJob, runPlannedJob } from './plannedJobRun';

/*
 * GitHub Actions for repositories created through the API: a push runs every workflow of the
 * pushed tree whose `on: push` matches the branch, live — jobs in `needs` order, each job's
 * `if` and `environment` as written, environments' protection rules (required reviewers, wait
 * timer, protected branches) as the repository has them. Reviews, re-runs and cancellations of
 * these runs come back here from the REST API (ActionsEngine).
 */

export interface WorkflowRunnerOptions {
  world: SandboxWorld;
  store: RepositoryStore;
  apiUrl(): string;
  /** Multiplies simulated step durations (real steps take their own time). */
  timeScale: number;
  /** Run the service's own npm scripts (install, lint, typecheck, tests) for real. */
  realTests: boolean;
  /** The cluster deploy jobs apply to; none: they deploy nothing and say so. */
  cluster?: ClusterAccess;
  /** Asks the Apps whose custom protection rules gate an environment. */
  protectionRules?: DeploymentProtectionRules;
  /** Told when a run (or a new attempt of one) starts in a repository, e.g. to send webhooks. */
  onRunStarted?: (repositoryId: number) => void;
}

export class WorkflowRunner implements LiveRuns {
  private readonly live = new Map<number, LiveRun>();
  /** Runs this runner made (the world keeps their records), for reviews and re-runs. */
  private readonly runIds = new Set<number>();
  /** The results of each run's latest attempt, for re-running only the failed jobs. */
  private readonly lastResults = new Map<number, LiveRun['results']>();
  private root: string | undefined;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: WorkflowRunnerOptions) {}

  private directory(): string {
    this.root ??= mkdtempSync(join(tmpdir(), 'titanic-sandbox-runs-'));
    return this.root;
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
  }

  /** Runs the workflows a push triggers (RepositoryStore's push listener). */
  onPush(push: RepositoryPush): void {
    if (!push.after) return;
    this.track(
      this.startRuns(push).catch(error => {
        process.stderr.write(
          `sandbox: could not start the workflows of ${push.owner}/${push.repo}: ${error}\n`,
        );
      }),
    );
  }

  private async startRuns(push: RepositoryPush): Promise<void> {
    const repository = this.options.store.find(push.owner, push.repo);
    if (!repository) return;
    const state = this.options.world.state;
    const git = this.options.store.git(repository);
    const sha = push.after!;
    const files = await readWorkflows(git, sha);
    const records = recordsOf(state, repository.id);
    // A file GitHub cannot run is listed and gets a run too, failed at once, whatever its triggers.
    const invalid = new Map(files.invalid.map(file => [file.path, file.error]));
    const unrunnable: WorkflowFile[] = files.invalid.map(file => ({
      path: file.path,
      name: file.path,
      triggers: { events: [] },
      env: {},
      jobs: [],
    }));
    for (const workflow of [...files.workflows, ...unrunnable]) {
      if (records.workflows.some(w => w.path === workflow.path)) continue;
      state.sequences.workflow += 1;
      const now = iso(Date.now());
      addWorkflow(state, {
        id: state.sequences.workflow,
        repositoryId: repository.id,
        name: workflow.name,
        path: workflow.path,
        createdAt: now,
        updatedAt: now,
      });
    }
    const triggered = [
      ...files.workflows.filter(workflow =>
        triggeredByPush(workflow, push.branch),
      ),
      ...unrunnable,
    ];
    if (triggered.length === 0) return;
    const commit = await git.commit(sha);
    const recorded = records.commits.find(c => c.sha === sha);
    if (recorded) {
      if (!recorded.branches.includes(push.branch))
        recorded.branches.push(push.branch);
    } else {
      addCommit(state, {
        repositoryId: repository.id,
        sha,
        treeSha: commit.treeSha,
        message: commit.message,
        authorLogin: push.pusher,
        date: iso(Date.parse(commit.authorDate)),
        parents: commit.parents,
        branches: [push.branch],
      });
    }
    for (const workflow of triggered) {
      const record = recordsOf(state, repository.id).workflows.find(
        w => w.path === workflow.path,
      )!;
      let graph: JobGraph;
      try {
        graph = planJobs(workflow, path => files.read(path));
      } catch (error) {
        if (!(error instanceof WorkflowSyntaxError)) throw error;
        graph = { jobs: [], referencedWorkflows: [] };
        invalid.set(workflow.path, error.message);
      }
      state.sequences.run += 1;
      state.sequences.checkSuite += 1;
      const now = iso(Date.now());
      const run: RunRecord = {
        id: state.sequences.run,
        repositoryId: repository.id,
        runNumber:
          recordsOf(state, repository.id).runs.filter(
            r => r.workflowId === record.id,
          ).length + 1,
        runAttempt: 1,
        workflowId: record.id,
        name: workflow.name,
        displayTitle: commit.message.split('\n')[0],
        branch: push.branch,
        headSha: sha,
        event: 'push',
        status: 'queued',
        conclusion: null,
        actorLogin: push.pusher,
        triggeringActorLogin: push.pusher,
        createdAt: now,
        updatedAt: now,
        runStartedAt: now,
        checkSuiteId: state.sequences.checkSuite,
        pullRequestNumber: null,
        failingGate: null,
        flaky: false,
        context: {
          repository: `${repository.owner}/${repository.name}`,
          branch: push.branch,
          headSha: sha,
          commitAuthor: push.pusher,
          commitDate: now,
          imageTag: `sha-${sha.slice(0, 7)}`,
          leaks: [],
          checkovFailures: [],
          checkovPassed: 0,
          coverage: { statements: 0, branches: 0, functions: 0, lines: 0 },
          flakyTest: false,
          vulnerabilities: [],
          sonarProjectKey: '',
          sonarConditions: [],
          sonarGate: 'OK',
          commitsScanned: 1,
        },
        referencedWorkflows: graph.referencedWorkflows,
      };
      addRun(state, run);
      this.runIds.add(run.id);
      this.options.onRunStarted?.(run.repositoryId);
      const problem = invalid.get(workflow.path);
      if (problem !== undefined) {
        run.status = 'completed';
        run.conclusion = 'failure';
        process.stderr.write(
          `sandbox: ${repository.owner}/${repository.name}: invalid workflow file ${problem}\n`,
        );
        continue;
      }
      this.start(state, run, repository, workflow, graph, new Map());
    }
  }

  private start(
    state: WorldState,
    run: RunRecord,
    repository: HostedRepositoryRecord,
    workflow: WorkflowFile,
    graph: JobGraph,
    kept: LiveRun['results'],
  ): void {
    const directory = join(this.directory(), `${run.id}-${run.runAttempt}`);
    mkdirSync(directory, { recursive: true });
    this.options.onRunStarted?.(run.repositoryId);
    const live: LiveRun = {
      state,
      run,
      repository,
      workflow,
      graph,
      results: new Map(kept),
      started: new Set(kept.keys()),
      reviews: new Map(),
      abort: new AbortController(),
      directory,
      facts: {
        repository: `${repository.owner}/${repository.name}`,
        repositoryId: repository.id,
        owner: repository.owner,
        branch: run.branch,
        sha: run.headSha,
        actor: run.triggeringActorLogin,
        event: run.event,
        runId: run.id,
        runNumber: run.runNumber,
        runAttempt: run.runAttempt,
        workflowPath: workflow.path,
        title: run.displayTitle,
      },
    };
    this.live.set(run.id, live);
    this.schedule(live);
  }

  private githubContext(live: LiveRun): Record<string, ExpressionValue> {
    const { run, repository } = live;
    const web = webBaseUrl(this.options.apiUrl());
    return {
      event_name: run.event,
      event: {
        ref: `refs/heads/${run.branch}`,
        after: run.headSha,
        repository: { name: repository.name },
      },
      ref: `refs/heads/${run.branch}`,
      ref_name: run.branch,
      ref_type: 'branch',
      head_ref: '',
      base_ref: '',
      sha: run.headSha,
      actor: run.actorLogin,
      triggering_actor: run.triggeringActorLogin,
      repository: `${repository.owner}/${repository.name}`,
      repository_owner: repository.owner,
      run_id: String(run.id),
      run_number: String(run.runNumber),
      run_attempt: String(run.runAttempt),
      server_url: web,
      api_url: this.options.apiUrl(),
      workflow: live.workflow.name,
      workflow_ref: `${repository.owner}/${repository.name}/${live.workflow.path}@refs/heads/${run.branch}`,
    };
  }

  /** Starts every job whose needs are done; finishes the run when all are. */
  private schedule(live: LiveRun): void {
    if (live.abort.signal.aborted) return;
    const { jobs } = live.graph;
    if (live.results.size === jobs.length) {
      this.finish(live);
      return;
    }
    if (live.run.status === 'queued') live.run.status = 'in_progress';
    for (const planned of jobs) {
      if (live.started.has(planned.key)) continue;
      if (!planned.needs.every(need => live.results.has(need))) continue;
      live.started.add(planned.key);
      this.track(
        runPlannedJob(live, planned, {
          github: this.githubContext(live),
          timeScale: this.options.timeScale,
          realTests: this.options.realTests,
          cluster: this.options.cluster,
          git: this.options.store.git(live.repository),
          apiUrl: this.options.apiUrl(),
          protectionRules: this.options.protectionRules,
        })
          .then(outcome => {
            live.results.set(planned.key, outcome);
            live.run.updatedAt = iso(Date.now());
            this.schedule(live);
          })
          .catch(error => {
            if (live.abort.signal.aborted) return;
            process.stderr.write(
              `sandbox: job ${planned.key} of run ${
                live.run.id
              } failed to run: ${error?.stack ?? error}\n`,
            );
            live.results.set(planned.key, { result: 'failure', outputs: {} });
            this.schedule(live);
          }),
      );
    }
  }

  private finish(live: LiveRun): void {
    const results = [...live.results.values()].map(r => r.result);
    live.run.status = 'completed';
    const combined = combinedResult(results);
    live.run.conclusion = combined === 'skipped' ? 'success' : combined;
    live.run.updatedAt = iso(Date.now());
    this.lastResults.set(live.run.id, live.results);
    this.live.delete(live.run.id);
    rmSync(live.directory, { recursive: true, force: true });
  }

  owns(run: RunRecord): boolean {
    return this.runIds.has(run.id);
  }

  review(
    run: RunRecord,
    pending: readonly PendingDeployment[],
    decision: 'approved' | 'rejected',
    user: UserRecord,
  ): DeploymentRecord[] {
    const live = this.live.get(run.id);
    const deployments: DeploymentRecord[] = [];
    for (const { job, environment } of pending) {
      live?.reviews.get(job.id)?.(decision, user.login);
      const deployment = recordsOf(
        live?.state ?? this.options.world.state,
        run.repositoryId,
      )
        .deployments.filter(
          d => d.runId === run.id && d.environment === environment.name,
        )
        .at(-1);
      if (deployment) deployments.push(deployment);
    }
    return deployments;
  }

  rerun(
    run: RunRecord,
    user: UserRecord,
    onlyFailed: boolean,
    now: number,
  ): void {
    const previous = this.lastResults.get(run.id) ?? new Map();
    const repository = this.options.store
      .list()
      .find(r => r.id === run.repositoryId);
    if (!repository) return;
    const state = this.options.world.state;
    const workflowPath = recordsOf(state, run.repositoryId).workflows.find(
      w => w.id === run.workflowId,
    )?.path;
    run.runAttempt += 1;
    run.runStartedAt = iso(now);
    run.triggeringActorLogin = user.login;
    run.status = 'queued';
    run.conclusion = null;
    const kept = new Map(
      onlyFailed
        ? [...previous].filter(([, outcome]) => outcome.result === 'success')
        : [],
    );
    this.track(
      readWorkflows(this.options.store.git(repository), run.headSha).then(
        files => {
          const workflow = files.workflows.find(w => w.path === workflowPath);
          if (!workflow) return;
          this.start(
            state,
            run,
            repository,
            workflow,
            planJobs(workflow, path => files.read(path)),
            kept,
          );
        },
      ),
    );
  }

  cancel(run: RunRecord, now: number): void {
    const live = this.live.get(run.id);
    if (!live) return;
    live.abort.abort(new Error('The run was cancelled'));
    for (const job of jobsOfRun(live.state, run.id)) {
      if (job.runAttempt !== run.runAttempt || job.status === 'completed')
        continue;
      cancelJob(job, now);
    }
    for (const deployment of recordsOf(live.state, run.repositoryId)
      .deployments) {
      const latest = deployment.statuses.at(-1);
      if (
        deployment.runId !== run.id ||
        !latest ||
        !['waiting', 'queued', 'in_progress', 'pending'].includes(latest.state)
      )
        continue;
      deployment.statuses.push({
        ...latest,
        id: ++live.state.sequences.deploymentStatus,
        state: 'error',
        description: 'The workflow run was cancelled',
        createdAt: iso(now),
      });
      deployment.updatedAt = iso(now);
    }
    run.status = 'completed';
    run.conclusion = 'cancelled';
    run.updatedAt = iso(now);
    this.live.delete(run.id);
    rmSync(live.directory, { recursive: true, force: true });
  }

  /** Stops every live run (the sandbox closes or goes back to its seed). */
  async reset(): Promise<void> {
    for (const live of this.live.values())
      live.abort.abort(new Error('The sandbox was reset'));
    this.live.clear();
    this.runIds.clear();
    this.lastResults.clear();
    await Promise.allSettled([...this.pending]);
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }
}
