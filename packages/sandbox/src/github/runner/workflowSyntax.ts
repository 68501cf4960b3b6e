import { parse } from 'yaml';

/*
 * GitHub Actions workflow files as the runner reads them: the triggers, the jobs with their
 * `needs`, `if`, `environment`, `uses` (reusable workflows), `with`, `env`, `outputs` and steps,
 * as written. Only the syntax the sandbox acts on is kept; everything else is ignored, as a
 * runner ignores keys it does not need.
 */

export class WorkflowSyntaxError extends Error {}

export interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with: Record<string, unknown>;
  env: Record<string, string>;
  if?: string;
  workingDirectory?: string;
}

export interface WorkflowJob {
  id: string;
  name?: string;
  needs: string[];
  if?: string;
  /** A reusable workflow called by this job (`./.github/workflows/<file>`). */
  uses?: string;
  with: Record<string, unknown>;
  environment?: { name: string; url?: string };
  env: Record<string, string>;
  outputs: Record<string, string>;
  steps: WorkflowStep[];
}

export interface WorkflowInput {
  default?: unknown;
  required: boolean;
}

export interface WorkflowFile {
  path: string;
  /** `name:`, else the file's path, as GitHub names a workflow. */
  name: string;
  triggers: {
    push?: { branches?: string[]; branchesIgnore?: string[]; tags?: string[] };
    /** Inputs of a reusable workflow (`on: workflow_call`). */
    workflowCall?: Record<string, WorkflowInput>;
    events: string[];
  };
  env: Record<string, string>;
  jobs: WorkflowJob[];
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMapping(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, String(item ?? '')]),
  );
}

function condition(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function parseTriggers(on: unknown): WorkflowFile['triggers'] {
  if (typeof on === 'string')
    return { events: [on], push: on === 'push' ? {} : undefined };
  if (Array.isArray(on)) {
    const events = on.map(String);
    return { events, push: events.includes('push') ? {} : undefined };
  }
  if (!isMapping(on)) throw new WorkflowSyntaxError('"on" is required');
  const triggers: WorkflowFile['triggers'] = { events: Object.keys(on) };
  if ('push' in on) {
    const push = isMapping(on.push) ? on.push : {};
    triggers.push = {
      branches: strings(push.branches),
      branchesIgnore: strings(push['branches-ignore']),
      tags: strings(push.tags),
    };
  }
  if ('workflow_call' in on) {
    const call = isMapping(on.workflow_call) ? on.workflow_call : {};
    const inputs = isMapping(call.inputs) ? call.inputs : {};
    triggers.workflowCall = Object.fromEntries(
      Object.entries(inputs).map(([key, input]) => [
        key,
        {
          default: isMapping(input) ? input.default : undefined,
          required: isMapping(input) && input.required === true,
        },
      ]),
    );
  }
  return triggers;
}

function parseStep(value: unknown, index: number, job: string): WorkflowStep {
  if (!isMapping(value))
    throw new WorkflowSyntaxError(
      `jobs.${job}.steps[${index}] is not a mapping`,
    );
  if (value.uses === undefined && value.run === undefined)
    throw new WorkflowSyntaxError(
      `jobs.${job}.steps[${index}] needs "uses" or "run"`,
    );
  return {
    id: value.id === undefined ? undefined : String(value.id),
    name: value.name === undefined ? undefined : String(value.name),
    uses: value.uses === undefined ? undefined : String(value.uses),
    run: value.run === undefined ? undefined : String(value.run),
    with: isMapping(value.with) ? value.with : {},
    env: stringMap(value.env),
    if: condition(value.if),
    workingDirectory:
      value['working-directory'] === undefined
        ? undefined
        : String(value['working-directory']),
  };
}

function parseEnvironment(value: unknown): WorkflowJob['environment'] {
  if (value === undefined || value === null) return undefined;
  if (isMapping(value)) {
    return {
      name: String(value.name),
      url: value.url === undefined ? undefined : String(value.url),
    };
  }
  return { name: String(value) };
}

function parseJob(id: string, value: unknown): WorkflowJob {
  if (!isMapping(value))
    throw new WorkflowSyntaxError(`jobs.${id} is not a mapping`);
  const steps = Array.isArray(value.steps) ? value.steps : [];
  if (value.uses === undefined && steps.length === 0)
    throw new WorkflowSyntaxError(`jobs.${id} needs "steps" or "uses"`);
  return {
    id,
    name: value.name === undefined ? undefined : String(value.name),
    needs: strings(value.needs) ?? [],
    if: condition(value.if),
    uses: value.uses === undefined ? undefined : String(value.uses),
    with: isMapping(value.with) ? value.with : {},
    environment: parseEnvironment(value.environment),
    env: stringMap(value.env),
    outputs: stringMap(value.outputs),
    steps: steps.map((step, index) => parseStep(step, index, id)),
  };
}

/** Parses a workflow file; throws WorkflowSyntaxError for what GitHub would refuse to run. */
export function parseWorkflow(path: string, text: string): WorkflowFile {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new WorkflowSyntaxError(`${path}: ${(error as Error).message}`);
  }
  if (!isMapping(document))
    throw new WorkflowSyntaxError(`${path}: not a mapping`);
  const jobs = isMapping(document.jobs) ? document.jobs : undefined;
  if (!jobs || Object.keys(jobs).length === 0)
    throw new WorkflowSyntaxError(`${path}: "jobs" is required`);
  const parsed: WorkflowFile = {
    path,
    name: document.name === undefined ? path : String(document.name),
    triggers: parseTriggers(document.on),
    env: stringMap(document.env),
    jobs: Object.entries(jobs).map(([id, job]) => parseJob(id, job)),
  };
  for (const job of parsed.jobs) {
    for (const need of job.needs) {
      if (!parsed.jobs.some(other => other.id === need))
        throw new WorkflowSyntaxError(
          `${path}: job "${job.id}" needs unknown job "${need}"`,
        );
    }
  }
  return parsed;
}

/**
 * GitHub's filter patterns: `*` matches within a path segment, `**` across them, `?` one
 * character; a leading `!` excludes what earlier patterns included.
 */
export function matchesFilters(
  value: string,
  patterns: readonly string[],
): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const source = (negated ? pattern.slice(1) : pattern)
      .split(/(\*\*|\*|\?)/)
      .map(part => {
        if (part === '**') return '.*';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    if (new RegExp(`^${source}$`).test(value)) matched = !negated;
  }
  return matched;
}

/** Whether a push to `branch` triggers the workflow (`on: push` with its branch filters). */
export function triggeredByPush(
  workflow: WorkflowFile,
  branch: string,
): boolean {
  const push = workflow.triggers.push;
  if (!push) return false;
  if (push.branches) return matchesFilters(branch, push.branches);
  if (push.branchesIgnore) return !matchesFilters(branch, push.branchesIgnore);
  // Only tag filters: a branch push does not trigger it.
  return push.tags === undefined;
}
