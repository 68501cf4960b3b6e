import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { VIEWER_TOKEN } from './authorization';
import { KubernetesSandbox, startKubernetesServer } from '../index';
import { FAST_TIMING } from '../__testUtils__/sandboxCluster';
import { validateKubernetesDocument } from '../__testUtils__/schemas';

// Real HTTP round trips and controller timing on a shared two-core machine.
jest.setTimeout(90000);

const run = promisify(execFile);

function kubectlAvailable(): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some(directory => fs.existsSync(path.join(directory, 'kubectl')));
}

// kubectl is the strictest client there is; where it is installed, it must accept the sandbox.
const describeWithKubectl = kubectlAvailable() ? describe : describe.skip;

describeWithKubectl('kubectl against the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let directory: string;
  let adminConfig: string;
  let viewerConfig: string;
  const schemaViolations: string[] = [];

  async function kubectl(kubeconfig: string, ...args: string[]) {
    try {
      const { stdout } = await run(
        'kubectl',
        ['--kubeconfig', kubeconfig, ...args],
        { timeout: 60000 },
      );
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(failure.stderr || failure.message);
    }
  }

  beforeAll(async () => {
    // kubectl sends bearer tokens only over TLS.
    sandbox = await startKubernetesServer({
      port: 0,
      tls: true,
      timing: FAST_TIMING,
      onResponseDocument: document => {
        try {
          validateKubernetesDocument(document);
        } catch (error) {
          schemaViolations.push((error as Error).message);
        }
      },
    });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-sandbox-'));
    adminConfig = path.join(directory, 'admin.kubeconfig');
    viewerConfig = path.join(directory, 'viewer.kubeconfig');
    fs.writeFileSync(adminConfig, sandbox.kubeconfig());
    fs.writeFileSync(viewerConfig, sandbox.kubeconfig(VIEWER_TOKEN));
  });

  afterEach(() => {
    // What kubectl was sent must conform to the Kubernetes schemas too.
    if (schemaViolations.length > 0) {
      throw new Error(
        `schema violations:\n${schemaViolations.splice(0).join('\n')}`,
      );
    }
  });

  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('lists the production Deployment with server-side printed columns', async () => {
    const output = await kubectl(
      adminConfig,
      'get',
      'deploy',
      '-n',
      'titanic-prod',
    );
    expect(output).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(output).toMatch(/titanic-service\s+3\/3\s+3\s+3\s+\d+d/);
  });

  it('shows the rollout history, rolls out, and undoes the rollout by reusing the old ReplicaSet', async () => {
    const namespace = ['-n', 'titanic-prod'];
    const history = await kubectl(
      adminConfig,
      'rollout',
      'history',
      'deployment/titanic-service',
      ...namespace,
    );
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
    expect(history).toMatch(
      /5\s+Deploy 1\.3\.1 \(979852d\): Fix pool exhaustion/,
    );

    await kubectl(
      adminConfig,
      'set',
      'image',
      'deployment/titanic-service',
      'titanic-service=ghcr.io/acme-corp/titanic-service:1.4.0',
      ...namespace,
    );
    expect(
      await kubectl(
        adminConfig,
        'rollout',
        'status',
        'deployment/titanic-service',
        '--timeout=60s',
        ...namespace,
      ),
    ).toContain('deployment "titanic-service" successfully rolled out');
    expect(
      await kubectl(
        adminConfig,
        'rollout',
        'undo',
        'deployment/titanic-service',
        ...namespace,
      ),
    ).toContain('deployment.apps/titanic-service rolled back');
    await kubectl(
      adminConfig,
      'rollout',
      'status',
      'deployment/titanic-service',
      '--timeout=60s',
      ...namespace,
    );

    const revisions = (
      await kubectl(
        adminConfig,
        'rollout',
        'history',
        'deployment/titanic-service',
        ...namespace,
      )
    )
      .split('\n')
      .map(line => /^(\d+)\s/.exec(line)?.[1])
      .filter(Boolean);
    expect(revisions).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(
      await kubectl(
        adminConfig,
        'rollout',
        'undo',
        'deployment/titanic-service',
        '--to-revision=7',
        ...namespace,
      ),
    ).toContain(
      'skipped rollback (current template already matches revision 7)',
    );
    const image = await kubectl(
      adminConfig,
      'get',
      'deploy',
      'titanic-service',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
      ...namespace,
    );
    expect(image).toBe('ghcr.io/acme-corp/titanic-service:1.3.1');
  });

  it('streams server-printed rows to kubectl get --watch', async () => {
    const watching = run(
      'kubectl',
      [
        '--kubeconfig',
        adminConfig,
        'get',
        'deploy',
        'titanic-service',
        '-n',
        'titanic-staging',
        '--watch',
        '--request-timeout=5s',
      ],
      { timeout: 20000 },
    ).catch(error => ({ stdout: (error as { stdout?: string }).stdout ?? '' }));
    await new Promise(resolve => setTimeout(resolve, 2000));
    await kubectl(
      adminConfig,
      'scale',
      'deployment/titanic-service',
      '--replicas=3',
      '-n',
      'titanic-staging',
    );
    const { stdout } = await watching;
    expect(stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(stdout).toMatch(/titanic-service\s+2\/2\s+2\s+2/);
    expect(stdout).toMatch(/titanic-service\s+\d\/3\s+/);
  });

  it('refuses the viewer token a rollback with the RBAC message', async () => {
    await expect(
      kubectl(
        viewerConfig,
        'rollout',
        'undo',
        'deployment/titanic-service',
        '-n',
        'titanic-staging',
      ),
    ).rejects.toThrow(
      'deployments.apps "titanic-service" is forbidden: User "system:serviceaccount:titanic-portal:portal-viewer" cannot patch resource "deployments" in API group "apps" in the namespace "titanic-staging"',
    );
    expect(
      await kubectl(viewerConfig, 'get', 'pods', '-n', 'titanic-staging'),
    ).toMatch(/titanic-service-\w+-\w{5}\s+1\/1\s+Running\s+0/);
  });

  it('scales, pauses, resumes and restarts a Deployment, and describes it with its events', async () => {
    const namespace = ['-n', 'titanic-dev'];
    await kubectl(
      adminConfig,
      'scale',
      'deployment/titanic-service',
      '--replicas=2',
      ...namespace,
    );
    await kubectl(
      adminConfig,
      'rollout',
      'pause',
      'deployment/titanic-service',
      ...namespace,
    );
    await expect(
      kubectl(
        adminConfig,
        'rollout',
        'undo',
        'deployment/titanic-service',
        ...namespace,
      ),
    ).rejects.toThrow('you cannot rollback a paused deployment');
    await kubectl(
      adminConfig,
      'rollout',
      'resume',
      'deployment/titanic-service',
      ...namespace,
    );
    await kubectl(
      adminConfig,
      'rollout',
      'restart',
      'deployment/titanic-service',
      ...namespace,
    );
    await kubectl(
      adminConfig,
      'rollout',
      'status',
      'deployment/titanic-service',
      '--timeout=60s',
      ...namespace,
    );
    const description = await kubectl(
      adminConfig,
      'describe',
      'deployment',
      'titanic-service',
      ...namespace,
    );
    expect(description).toMatch(
      /Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/,
    );
    expect(description).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
    expect(description).toMatch(
      /ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set titanic-service-\w+ from 0 to 1/,
    );
  });
});
