import http from 'node:http';
import { projectJob } from '../../world/jobProjection';
import { WorldState } from '../../world/records';
import {
  findJobById,
  findRunById,
  jobsOfRun,
} from '../../world/repositoryIndex';
import { RepositoryStore } from '../hosting/repositoryStore';

/*
 * The web pages of a created repository's runs, plain text like its other pages: a run's
 * `html_url` lists its jobs, a job's (where the portal's "Logs" links go) shows its log so far.
 */

export interface RunPage {
  owner: string;
  repo: string;
  runId: number;
  jobId: number | null;
}

const RUN_PATH =
  /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/actions\/runs\/(\d+)(?:\/job\/(\d+))?\/?$/;

export function matchRunPage(pathname: string): RunPage | null {
  const match = RUN_PATH.exec(pathname);
  if (!match) return null;
  return {
    owner: match[1],
    repo: match[2],
    runId: Number(match[3]),
    jobId: match[4] ? Number(match[4]) : null,
  };
}

function answer(response: http.ServerResponse, status: number, body: string) {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}

/** Answers the page when it names a run of a hosted repository; false otherwise. */
export function serveRunPage(
  response: http.ServerResponse,
  page: RunPage,
  store: RepositoryStore,
  state: WorldState,
  now: number,
): boolean {
  const record = store.find(page.owner, page.repo);
  const run = findRunById(state, page.runId);
  if (!record || run?.repositoryId !== record.id) return false;
  if (page.jobId !== null) {
    const job = findJobById(state, page.jobId);
    if (!job || job.runId !== run.id) {
      answer(response, 404, 'Not Found\n');
      return true;
    }
    const shown = projectJob(job, now);
    answer(
      response,
      200,
      `${record.owner}/${record.name} · run #${run.runNumber} · ${
        shown.name
      }: ${shown.status}${
        shown.conclusion ? ` (${shown.conclusion})` : ''
      }\n\n${shown.log}`,
    );
    return true;
  }
  const jobs = jobsOfRun(state, run.id)
    .filter(job => job.runAttempt === run.runAttempt)
    .map(job => projectJob(job, now))
    .map(
      job =>
        `${job.name}: ${job.status}${
          job.conclusion ? ` (${job.conclusion})` : ''
        }`,
    );
  answer(
    response,
    200,
    `${record.owner}/${record.name} · ${run.name} #${run.runNumber} on ${
      run.branch
    } (${run.headSha.slice(0, 7)}): ${run.status}${
      run.conclusion ? ` (${run.conclusion})` : ''
    }\n\n${jobs.join('\n')}\n`,
  );
  return true;
}
