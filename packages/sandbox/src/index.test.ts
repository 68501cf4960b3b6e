import {
  ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  PENDING_PRODUCTION_TAG,
  SONAR_PROJECT_KEY,
  SONAR_TOKEN,
  imageFor,
  liveTag,
  startSandbox,
} from './index';

jest.setTimeout(60_000);

describe('startSandbox', () => {
  it('starts GitHub, Kubernetes and SonarCloud on ephemeral ports over one consistent world', async () => {
    const sandbox = await startSandbox();
    try {
      const repository = await fetch(
        `${sandbox.github.baseUrl}/repos/acme-corp/titanic-service`,
        {
          headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` },
        },
      );
      expect(repository.status).toBe(200);
      const gate = await fetch(
        `${sandbox.sonarcloud.baseUrl}/api/qualitygates/project_status?projectKey=${SONAR_PROJECT_KEY}`,
        {
          headers: { authorization: `Bearer ${SONAR_TOKEN}` },
        },
      );
      expect((await gate.json()).projectStatus.status).toBe('ERROR');
      const deployment = await fetch(
        `${sandbox.kubernetes.server}/apis/apps/v1/namespaces/titanic-prod/deployments/titanic-service`,
        {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        },
      );
      expect(deployment.status).toBe(200);
      const image = (await deployment.json()).spec.template.spec.containers[0]
        .image;
      expect(image).toBe(
        `ghcr.io/acme-corp/titanic-service:${liveTag('prod')}`,
      );
    } finally {
      await sandbox.close();
    }
  });
});

describe('startSandbox with followDeploys', () => {
  it('rolls the approved production release out in the Kubernetes sandbox, and a snapshot keeps it', async () => {
    const sandbox = await startSandbox({ timeScale: 0.01 });
    try {
      const github = (path: string, init: RequestInit = {}) =>
        fetch(
          `${sandbox.github.baseUrl}/repos/acme-corp/titanic-service${path}`,
          {
            ...init,
            headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` },
          },
        );
      const prodImage = async () => {
        const response = await fetch(
          `${sandbox.kubernetes.server}/apis/apps/v1/namespaces/titanic-prod/deployments/titanic-service`,
          { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
        );
        return (await response.json()).spec.template.spec.containers[0].image;
      };
      expect(await prodImage()).toBe(imageFor(liveTag('prod')));
      const runs = await (await github('/actions/runs?status=waiting')).json();
      const approve = await github(
        `/actions/runs/${runs.workflow_runs[0].id}/pending_deployments`,
        {
          method: 'POST',
          body: JSON.stringify({
            environment_ids: [4_200_000_003],
            state: 'approved',
            comment: 'go',
          }),
        },
      );
      expect(approve.status).toBe(200);
      let image = await prodImage();
      for (
        let i = 0;
        i < 50 && image !== imageFor(PENDING_PRODUCTION_TAG);
        i++
      ) {
        await new Promise(resolve => setTimeout(resolve, 100));
        image = await prodImage();
      }
      expect(image).toBe(imageFor(PENDING_PRODUCTION_TAG));

      // The snapshot carries both worlds: the restored sandbox has the approval and the rollout.
      const restored = await startSandbox({
        seed: { snapshot: sandbox.snapshot() },
      });
      try {
        const deployment = await fetch(
          `${restored.kubernetes.server}/apis/apps/v1/namespaces/titanic-prod/deployments/titanic-service`,
          { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
        );
        expect(
          (await deployment.json()).spec.template.spec.containers[0].image,
        ).toBe(imageFor(PENDING_PRODUCTION_TAG));
        const waiting = await fetch(
          `${restored.github.baseUrl}/repos/acme-corp/titanic-service/actions/runs?status=waiting`,
          { headers: { authorization: `Bearer ${GITHUB_PORTAL_BOT_TOKEN}` } },
        );
        // Only the guest's run is left waiting: no one else approved it.
        expect(
          (await waiting.json()).workflow_runs.map(
            (run: { id: number }) => run.id,
          ),
        ).toEqual([runs.workflow_runs[1].id]);
      } finally {
        await restored.close();
      }
    } finally {
      await sandbox.close();
    }
  });
});
