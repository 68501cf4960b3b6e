import {
  ADMIN_TOKEN,
  GITHUB_PORTAL_BOT_TOKEN,
  SONAR_PROJECT_KEY,
  SONAR_TOKEN,
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
