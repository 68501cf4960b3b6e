import { JobRecord } from './records';

/**
 * The job as GitHub reports it at `now`: jobs whose recorded times lie in the future are
 * queued or in progress, with the steps and log lines that already happened.
 */
export function projectJob(job: JobRecord, now: number): JobRecord {
  if (job.status === 'waiting' && now < Date.parse(job.createdAt)) {
    return { ...job, status: 'queued' };
  }
  if (job.status !== 'completed' || job.completedAt === null) return job;
  const completedAt = Date.parse(job.completedAt);
  if (now >= completedAt) return job;
  const startedAt = Date.parse(job.startedAt);
  if (now < startedAt) {
    return {
      ...job,
      status: 'queued',
      conclusion: null,
      completedAt: null,
      steps: [],
      log: '',
      annotations: [],
      runnerId: null,
      runnerName: null,
    };
  }
  const steps = job.steps.map(step => {
    const stepStarted = step.startedAt ? Date.parse(step.startedAt) : 0;
    const stepCompleted = step.completedAt ? Date.parse(step.completedAt) : 0;
    if (now >= stepCompleted) return step;
    if (now >= stepStarted) {
      return {
        ...step,
        status: 'in_progress' as const,
        conclusion: null,
        completedAt: null,
      };
    }
    return {
      ...step,
      status: 'pending' as const,
      conclusion: null,
      startedAt: null,
      completedAt: null,
    };
  });
  const visibleLog = job.log
    .split('\n')
    .filter(line => line && Date.parse(`${line.slice(0, 19)}Z`) <= now)
    .join('\n');
  return {
    ...job,
    status: 'in_progress',
    conclusion: null,
    completedAt: null,
    steps,
    log: visibleLog ? `${visibleLog}\n` : '',
    annotations: [],
  };
}
