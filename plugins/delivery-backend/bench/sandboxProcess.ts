/*
 * The scale benchmark's side of its sandbox process (scaleSandbox.ts): starting it, asking its
 * memory and request counters, and the addresses the portal reads it at.
 */
import { RequestCounts, Sandbox } from '@internal/sandbox';
import { ChildProcess, fork } from 'node:child_process';
import type { ScaleSandboxMessage, ScaleSandboxRequest } from './scaleSandbox';

/** The sandbox process: where it listens, its services, and its memory on request. */
export interface SandboxProcess {
  child: ChildProcess;
  ready: Extract<ScaleSandboxMessage, { type: 'ready' }>;
  memory(): Promise<Extract<ScaleSandboxMessage, { type: 'memory' }>>;
  close(): Promise<void>;
}

export async function startSandboxProcess(
  services: number,
): Promise<SandboxProcess> {
  const child = fork(require.resolve('./scaleSandbox.ts'), {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, BENCH_SERVICES: String(services) },
  });
  const next = <T extends ScaleSandboxMessage['type']>(type: T) =>
    new Promise<Extract<ScaleSandboxMessage, { type: T }>>(
      (resolve, reject) => {
        const onMessage = (message: ScaleSandboxMessage) => {
          if (message.type !== type) return;
          child.off('message', onMessage);
          resolve(message as Extract<ScaleSandboxMessage, { type: T }>);
        };
        child.on('message', onMessage);
        child.once('exit', code =>
          reject(new Error(`sandbox exited (${code})`)),
        );
      },
    );
  const ready = await next('ready');
  const ask = (request: ScaleSandboxRequest) => child.send(request);
  return {
    child,
    ready,
    memory: async () => {
      const answer = next('memory');
      ask({ type: 'memory' });
      return answer;
    },
    close: async () => {
      const exited = new Promise(resolve => child.once('exit', resolve));
      ask({ type: 'close' });
      await exited;
    },
  };
}

/** startDeliveryBackend reads only these three addresses of a sandbox it did not start. */
export function remoteSandbox({ ready }: SandboxProcess): Sandbox {
  return {
    github: { baseUrl: ready.github },
    sonarcloud: { baseUrl: ready.sonarcloud },
    kubernetes: { server: ready.kubernetes },
  } as unknown as Sandbox;
}

export async function requestCounts(
  github: string,
  reset = false,
): Promise<RequestCounts> {
  const response = await fetch(`${github}/_sandbox/requests`, {
    method: reset ? 'DELETE' : 'GET',
  });
  return (await response.json()) as RequestCounts;
}
