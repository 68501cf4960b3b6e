/*
 * A simulated kubelet: moves each pod through Pending -> Running -> Ready on the sandbox's
 * clock, or, for a crashing image, into CrashLoopBackOff with a restartCount that grows as the
 * real back-off (doubling, capped at five minutes) allows. Status is a pure function of the
 * pod's age, so re-running a pass writes nothing new until something changes.
 */

import { ControllerContext } from '../controllers/controllerContext';
import { PODS } from '../apimachinery/resources';
import { fnv32a } from '../apimachinery/random';
import { parseTimestamp, timestamp } from '../apimachinery/objects';
import { KubeObject } from '../apimachinery/objects';
import { deepEqual } from '../apimachinery/patches';

const MAX_BACK_OFF_MULTIPLIER = 30;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function hex(seed: string, length: number): string {
  let out = '';
  let i = 0;
  while (out.length < length) {
    out += fnv32a(`${seed}/${i++}`).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function imageId(image: string): string {
  const repository = image.replace(/[:@].*$/, '');
  return `${repository}@sha256:${hex(image, 64)}`;
}

interface CrashTimeline {
  restartCount: number;
  running: boolean;
  /** When the current run started (running) or the last run started (waiting). */
  lastStartedAt: number;
  lastFinishedAt?: number;
  lastRunStartedAt?: number;
  backOffMs: number;
}

export class Kubelet {
  constructor(private readonly context: ControllerContext) {}

  /** Timestamps a pod's life is derived from; creationTimestamp is only second-precise. */
  private readonly createdAt = new Map<string, number>();

  podCreated(pod: KubeObject, at: number) {
    this.createdAt.set(pod.metadata.uid, at);
  }

  /** Creation instants of the pods, for snapshots. */
  podCreationTimes(): Record<string, number> {
    return Object.fromEntries(this.createdAt);
  }

  restorePodCreationTimes(times: Record<string, number>) {
    this.createdAt.clear();
    for (const [uid, at] of Object.entries(times)) this.createdAt.set(uid, at);
  }

  podDeleted(uid: string) {
    this.createdAt.delete(uid);
    this.terminatingSince.delete(uid);
  }

  private readonly terminatingSince = new Map<string, number>();

  /**
   * Graceful deletion: the pod gets its deletionTimestamp, stops being ready, and is removed
   * once its containers have stopped (podTerminationMs later). A zero grace period removes it now.
   */
  terminate(
    stale: KubeObject,
    gracePeriodSeconds = 30,
  ): KubeObject | undefined {
    const { store } = this.context;
    const now = this.context.now();
    const current = store.get(
      PODS,
      stale.metadata.namespace,
      stale.metadata.name,
    );
    if (!current || current.metadata.uid !== stale.metadata.uid)
      return undefined;
    const pod = current;
    if (gracePeriodSeconds === 0) {
      this.podDeleted(pod.metadata.uid);
      return store.remove(PODS, pod.metadata.namespace, pod.metadata.name);
    }
    if (pod.metadata.deletionTimestamp) return pod;
    this.terminatingSince.set(pod.metadata.uid, now);
    const notReady = (condition: Json) =>
      condition.type === 'Ready' || condition.type === 'ContainersReady'
        ? {
            ...condition,
            status: 'False',
            lastTransitionTime: timestamp(now),
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${(
              pod.spec?.containers ?? []
            )
              .map((c: Json) => c.name)
              .join(' ')}]`,
          }
        : condition;
    for (const container of pod.spec?.containers ?? []) {
      this.context.recordEvent(
        pod,
        'Normal',
        'Killing',
        `Stopping container ${container.name}`,
        'kubelet',
      );
    }
    return store.replace(PODS, {
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: timestamp(now + gracePeriodSeconds * 1000),
        deletionGracePeriodSeconds: gracePeriodSeconds,
      },
      status: {
        ...pod.status,
        conditions: (pod.status?.conditions ?? []).map(notReady),
        containerStatuses: (pod.status?.containerStatuses ?? []).map(
          (c: Json) => ({ ...c, ready: false }),
        ),
      },
    });
  }

  private crashTimeline(startAt: number, now: number): CrashTimeline {
    const { crashBackOffMs, podReadyMs } = this.context.timing;
    const runMs = Math.max(1, Math.floor(podReadyMs / 2));
    let runStart = startAt;
    let restartCount = 0;
    let lastRunStartedAt: number | undefined;
    let lastFinishedAt: number | undefined;
    for (;;) {
      const crashAt = runStart + runMs;
      if (now < crashAt) {
        return {
          restartCount,
          running: true,
          lastStartedAt: runStart,
          lastFinishedAt,
          lastRunStartedAt,
          backOffMs:
            crashBackOffMs *
            Math.min(
              2 ** Math.max(0, restartCount - 1),
              MAX_BACK_OFF_MULTIPLIER,
            ),
        };
      }
      const backOffMs =
        crashBackOffMs * Math.min(2 ** restartCount, MAX_BACK_OFF_MULTIPLIER);
      const restartAt = crashAt + backOffMs;
      if (now < restartAt) {
        return {
          restartCount,
          running: false,
          lastStartedAt: runStart,
          lastFinishedAt: crashAt,
          lastRunStartedAt: runStart,
          backOffMs,
        };
      }
      lastRunStartedAt = runStart;
      lastFinishedAt = crashAt;
      runStart = restartAt;
      restartCount++;
    }
  }

  private desiredStatus(pod: KubeObject, now: number): Json {
    const { podStartMs, podReadyMs } = this.context.timing;
    const createdAt =
      this.createdAt.get(pod.metadata.uid) ??
      parseTimestamp(pod.metadata.creationTimestamp);
    const startAt = createdAt + podStartMs;
    const readyAt = startAt + podReadyMs;
    const containers: Json[] = pod.spec?.containers ?? [];
    const crashing = containers.some(c =>
      this.context.isCrashingImage(c.image),
    );
    const hostIP = pod.status?.hostIP ?? this.hostIpFor(pod.spec?.nodeName);
    const podIP = pod.status?.podIP ?? this.podIpFor(pod.metadata.uid);
    const started = now >= startAt;
    const ready = started && !crashing && now >= readyAt;

    const containerStatuses = containers.map(container => {
      const base = {
        name: container.name,
        image: container.image,
        imageID: started ? imageId(container.image) : '',
        ...(started
          ? {
              containerID: `containerd://${hex(
                `${pod.metadata.uid}/${container.name}`,
                64,
              )}`,
            }
          : {}),
      };
      if (!started) {
        return {
          ...base,
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
        };
      }
      if (crashing) {
        const timeline = this.crashTimeline(startAt, now);
        const lastState =
          timeline.lastFinishedAt !== undefined
            ? {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: timestamp(timeline.lastRunStartedAt ?? startAt),
                  finishedAt: timestamp(timeline.lastFinishedAt),
                  containerID: `containerd://${hex(
                    `${pod.metadata.uid}/${container.name}/${timeline.restartCount}`,
                    64,
                  )}`,
                },
              }
            : {};
        const state = timeline.running
          ? { running: { startedAt: timestamp(timeline.lastStartedAt) } }
          : {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off ${Math.round(
                  timeline.backOffMs / 1000,
                )}s restarting failed container=${container.name} pod=${
                  pod.metadata.name
                }_${pod.metadata.namespace}(${pod.metadata.uid})`,
              },
            };
        return {
          ...base,
          ready: false,
          restartCount: timeline.restartCount,
          started: timeline.running,
          state,
          lastState,
        };
      }
      return {
        ...base,
        ready,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: timestamp(startAt) } },
        lastState: {},
      };
    });

    const notReady = containers
      .filter((_, i) => !containerStatuses[i].ready)
      .map(c => c.name);
    const readyCondition = (type: string) =>
      ready
        ? {
            type,
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: timestamp(readyAt),
          }
        : {
            type,
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: timestamp(
              crashing && started ? startAt : createdAt,
            ),
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${notReady.join(' ')}]`,
          };

    return {
      phase: started ? 'Running' : 'Pending',
      conditions: [
        {
          type: 'PodReadyToStartContainers',
          status: started ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: timestamp(started ? startAt : createdAt),
        },
        {
          type: 'Initialized',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: timestamp(createdAt),
        },
        readyCondition('Ready'),
        readyCondition('ContainersReady'),
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: timestamp(createdAt),
        },
      ],
      hostIP,
      hostIPs: [{ ip: hostIP }],
      ...(started ? { podIP, podIPs: [{ ip: podIP }] } : {}),
      startTime: timestamp(createdAt),
      containerStatuses,
      qosClass: 'BestEffort',
    };
  }

  private hostIpFor(nodeName: string | undefined): string {
    return nodeName?.endsWith('2') ? '172.18.0.3' : '172.18.0.2';
  }

  private podIpFor(uid: string): string {
    const n = fnv32a(uid);
    return `10.244.${(n >>> 8) % 4}.${(n % 250) + 2}`;
  }

  /** When a pod became Ready (undefined while it is not), for minReadySeconds. */
  readySince(pod: KubeObject): number | undefined {
    const ready = pod.status?.conditions?.find((c: Json) => c.type === 'Ready');
    if (ready?.status !== 'True') return undefined;
    const createdAt = this.createdAt.get(pod.metadata.uid);
    if (createdAt !== undefined) {
      return (
        createdAt +
        this.context.timing.podStartMs +
        this.context.timing.podReadyMs
      );
    }
    return parseTimestamp(ready.lastTransitionTime);
  }

  /** One pass over every pod: writes the status that its age implies, and the kubelet's events. */
  sync() {
    const now = this.context.now();
    for (const pod of this.context.store.list(PODS)) {
      if (pod.metadata.deletionTimestamp) {
        const since = this.terminatingSince.get(pod.metadata.uid) ?? 0;
        if (now - since >= this.context.timing.podTerminationMs) {
          this.context.store.remove(
            PODS,
            pod.metadata.namespace,
            pod.metadata.name,
          );
          this.podDeleted(pod.metadata.uid);
        }
        continue;
      }
      const status = this.desiredStatus(pod, now);
      if (deepEqual(status, pod.status)) continue;
      this.recordTransitions(pod, status);
      this.context.store.replace(PODS, { ...pod, status });
    }
  }

  private recordTransitions(pod: KubeObject, status: Json) {
    const previous: Json[] = pod.status?.containerStatuses ?? [];
    const ns = pod.metadata.namespace;
    for (const container of status.containerStatuses as Json[]) {
      const before = previous.find(c => c.name === container.name);
      const wasStarted = Boolean(
        before?.state?.running || before?.lastState?.terminated,
      );
      if (!before?.imageID && container.imageID) {
        this.context.recordEvent(
          pod,
          'Normal',
          'Scheduled',
          `Successfully assigned ${ns}/${pod.metadata.name} to ${pod.spec?.nodeName}`,
          'default-scheduler',
        );
        this.context.recordEvent(
          pod,
          'Normal',
          'Pulled',
          `Container image "${container.image}" already present on machine`,
          'kubelet',
        );
        this.context.recordEvent(
          pod,
          'Normal',
          'Created',
          `Created container: ${container.name}`,
          'kubelet',
        );
        this.context.recordEvent(
          pod,
          'Normal',
          'Started',
          `Started container ${container.name}`,
          'kubelet',
        );
      } else if (!wasStarted && container.state.running) {
        this.context.recordEvent(
          pod,
          'Normal',
          'Started',
          `Started container ${container.name}`,
          'kubelet',
        );
      }
      if (
        container.state.waiting?.reason === 'CrashLoopBackOff' &&
        before?.state?.waiting?.reason !== 'CrashLoopBackOff'
      ) {
        this.context.recordEvent(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}_${ns}(${pod.metadata.uid})`,
          'kubelet',
        );
      }
    }
  }
}
