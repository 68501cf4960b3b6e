/*
 * The sandbox of the scale benchmark (scale.ts) in a process of its own: the GitHub, SonarCloud
 * and Kubernetes sandbox over the seeded world plus BENCH_SERVICES generated services. It tells
 * its parent where it listens and which runs a changer can act on, answers `memory` requests and
 * stops on `close`.
 */
import {
  ScaleService,
  addScaleServices,
  startSandbox,
} from '@internal/sandbox';

/** What the sandbox process sends its parent. */
export type ScaleSandboxMessage =
  | {
      type: 'ready';
      github: string;
      sonarcloud: string;
      kubernetes: string;
      services: ScaleService[];
      generatedSeconds: number;
    }
  | { type: 'memory'; rssMb: number; heapMb: number };

/** What the parent asks. */
export type ScaleSandboxRequest = { type: 'memory' } | { type: 'close' };

const megabytes = (bytes: number) => Math.round(bytes / 1048576);

async function main() {
  const sandbox = await startSandbox();
  const started = performance.now();
  const services = addScaleServices(sandbox.world.state, {
    services: Number(process.env.BENCH_SERVICES ?? 1000),
  });
  const send = (message: ScaleSandboxMessage) => process.send!(message);
  send({
    type: 'ready',
    github: sandbox.github.baseUrl,
    sonarcloud: sandbox.sonarcloud.baseUrl,
    kubernetes: sandbox.kubernetes.server,
    services,
    generatedSeconds: Math.round((performance.now() - started) / 100) / 10,
  });
  process.on('message', async (request: ScaleSandboxRequest) => {
    if (request.type === 'memory') {
      const usage = process.memoryUsage();
      send({
        type: 'memory',
        rssMb: megabytes(usage.rss),
        heapMb: megabytes(usage.heapUsed),
      });
    } else {
      await sandbox.close();
      process.exit(0);
    }
  });
  // The parent died: nothing would ever ask this sandbox to close.
  process.on('disconnect', () => process.exit(0));
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
