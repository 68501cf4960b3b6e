import {
  WorkflowFile,
  WorkflowJob,
  WorkflowSyntaxError,
} from './workflowSyntax';

/*
 * The jobs a run executes, in `needs` order: the workflow's own jobs and, for a job that calls a
 * reusable workflow (`uses: ./.github/workflows/<file>`), that workflow's jobs, named
 * "<caller> / <called job>" as GitHub names them, each needing what its caller needs.
 */

export interface PlannedJob {
  /** Unique within the run: the job id, or `<caller id>/<called job id>`. */
  key: string;
  /** The job of the calling workflow this is (itself, or the caller of a reusable workflow). */
  caller: WorkflowJob;
  /** The job whose steps run (the called workflow's job for reusable workflows). */
  job: WorkflowJob;
  /** The workflow file defining `job`. */
  definedIn: WorkflowFile;
  /** The display name, before its `${{ }}` are evaluated. */
  name: string;
  /** Keys of the planned jobs this one waits for. */
  needs: string[];
}

export interface JobGraph {
  jobs: PlannedJob[];
  /** Reusable workflows the run calls (paths), GitHub's referenced_workflows. */
  referencedWorkflows: string[];
}

/** `./.github/workflows/x.yml` (optionally `@ref`) as a repository path, else null. */
export function localWorkflowPath(uses: string): string | null {
  const match = /^\.\/(\.github\/workflows\/[^@]+\.ya?ml)(@.*)?$/.exec(
    uses.trim(),
  );
  return match ? match[1] : null;
}

export function planJobs(
  workflow: WorkflowFile,
  readWorkflow: (path: string) => WorkflowFile | null,
): JobGraph {
  const referencedWorkflows: string[] = [];
  const keysOf = new Map<string, string[]>();
  const expanded: Array<Omit<PlannedJob, 'needs'> & { localNeeds: string[] }> =
    [];
  for (const caller of workflow.jobs) {
    if (!caller.uses) {
      keysOf.set(caller.id, [caller.id]);
      expanded.push({
        key: caller.id,
        caller,
        job: caller,
        definedIn: workflow,
        name: caller.name ?? caller.id,
        localNeeds: [],
      });
      continue;
    }
    const path = localWorkflowPath(caller.uses);
    if (!path)
      throw new WorkflowSyntaxError(
        `jobs.${caller.id}: only reusable workflows of the same repository can be called in the sandbox (${caller.uses})`,
      );
    const called = readWorkflow(path);
    if (!called)
      throw new WorkflowSyntaxError(
        `jobs.${caller.id}: ${path} was not found in the pushed tree`,
      );
    if (!called.triggers.workflowCall)
      throw new WorkflowSyntaxError(
        `jobs.${caller.id}: ${path} is not a reusable workflow (no on.workflow_call)`,
      );
    if (called.jobs.some(job => job.uses))
      throw new WorkflowSyntaxError(
        `jobs.${caller.id}: ${path} calls further workflows; the sandbox runs one level`,
      );
    if (!referencedWorkflows.includes(path)) referencedWorkflows.push(path);
    keysOf.set(
      caller.id,
      called.jobs.map(job => `${caller.id}/${job.id}`),
    );
    for (const job of called.jobs) {
      expanded.push({
        key: `${caller.id}/${job.id}`,
        caller,
        job,
        definedIn: called,
        name: `${caller.name ?? caller.id} / ${job.name ?? job.id}`,
        localNeeds: job.needs.map(need => `${caller.id}/${need}`),
      });
    }
  }
  const jobs = expanded.map(({ localNeeds, ...planned }) => ({
    ...planned,
    needs: [
      ...planned.caller.needs.flatMap(need => keysOf.get(need) ?? []),
      ...localNeeds,
    ],
  }));
  assertAcyclic(jobs);
  return { jobs, referencedWorkflows };
}

function assertAcyclic(jobs: readonly PlannedJob[]): void {
  const done = new Set<string>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const job of jobs) {
      if (done.has(job.key) || !job.needs.every(need => done.has(need)))
        continue;
      done.add(job.key);
      progressed = true;
    }
  }
  const stuck = jobs.filter(job => !done.has(job.key)).map(job => job.key);
  if (stuck.length > 0)
    throw new WorkflowSyntaxError(`jobs ${stuck.join(', ')} need each other`);
}
