import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { workflowsRoot } from './repositoryPaths.js';

export interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, any>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface WorkflowJob {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, any>;
  secrets?: Record<string, string> | 'inherit';
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: WorkflowStep[];
  container?: { image: string } | string;
  [key: string]: any;
}

export interface Workflow {
  name: string;
  on: Record<string, any>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, WorkflowJob>;
}

export function workflowFiles(): string[] {
  return fs.readdirSync(workflowsRoot).filter(name => /\.ya?ml$/.test(name)).sort();
}

export function readWorkflowText(fileName: string): string {
  return fs.readFileSync(path.join(workflowsRoot, fileName), 'utf8');
}

export function loadWorkflow(fileName: string): Workflow {
  return parse(readWorkflowText(fileName)) as Workflow;
}

export function needsOf(job: WorkflowJob): string[] {
  if (!job.needs) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

export function environmentNameOf(job: WorkflowJob): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

/** Every job a job depends on, directly or through other jobs. */
export function transitiveNeeds(workflow: Workflow, jobId: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const need of needsOf(workflow.jobs[id])) {
      if (!seen.has(need)) {
        seen.add(need);
        visit(need);
      }
    }
  };
  visit(jobId);
  return seen;
}
