import {
  SONAR_PROJECT_KEY,
  SONAR_TOKEN,
  SonarSandbox,
  startSonarServer,
} from '../index';

describe('SonarCloud sandbox', () => {
  let sonar: SonarSandbox;
  const get = (path: string, token: string | null = SONAR_TOKEN) =>
    fetch(`${sonar.baseUrl}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  beforeAll(async () => {
    sonar = await startSonarServer();
  });

  afterAll(async () => {
    await sonar.close();
  });

  it('requires the bearer token', async () => {
    expect(
      (
        await get(
          `/api/qualitygates/project_status?projectKey=${SONAR_PROJECT_KEY}`,
          null,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await get(
          `/api/qualitygates/project_status?projectKey=${SONAR_PROJECT_KEY}`,
          'wrong',
        )
      ).status,
    ).toBe(401);
  });

  it('reports the failed develop quality gate on new coverage 41% and the passed main gate', async () => {
    const develop = await (
      await get(
        `/api/qualitygates/project_status?projectKey=${SONAR_PROJECT_KEY}&branch=develop`,
      )
    ).json();
    expect(develop.projectStatus.status).toBe('ERROR');
    expect(develop.projectStatus.conditions).toContainEqual({
      status: 'ERROR',
      metricKey: 'new_coverage',
      comparator: 'LT',
      errorThreshold: '80',
      actualValue: '41.0',
    });
    const main = await (
      await get(
        `/api/qualitygates/project_status?projectKey=${SONAR_PROJECT_KEY}&branch=main`,
      )
    ).json();
    expect(main.projectStatus.status).toBe('OK');
  });

  it('serves measures with new-code values as periods', async () => {
    const body = await (
      await get(
        `/api/measures/component?component=${SONAR_PROJECT_KEY}&branch=develop&metricKeys=coverage,new_coverage,bugs`,
      )
    ).json();
    expect(body.component.key).toBe(SONAR_PROJECT_KEY);
    expect(body.component.measures).toContainEqual({
      metric: 'coverage',
      value: '78.3',
      bestValue: false,
    });
    expect(
      body.component.measures.find((m: any) => m.metric === 'new_coverage')
        .period.value,
    ).toBe('41.0');
  });

  it('pages issues search and filters by type and severity', async () => {
    const first = await (
      await get(
        `/api/issues/search?componentKeys=${SONAR_PROJECT_KEY}&branch=develop&ps=20&p=1`,
      )
    ).json();
    expect(first.paging).toEqual({
      pageIndex: 1,
      pageSize: 20,
      total: first.total,
    });
    expect(first.total).toBeGreaterThan(40);
    const third = await (
      await get(
        `/api/issues/search?componentKeys=${SONAR_PROJECT_KEY}&branch=develop&ps=20&p=3`,
      )
    ).json();
    expect(third.issues[0].key).not.toBe(first.issues[0].key);
    const bugs = await (
      await get(
        `/api/issues/search?componentKeys=${SONAR_PROJECT_KEY}&types=BUG&severities=CRITICAL`,
      )
    ).json();
    expect(bugs.issues.length).toBeGreaterThan(0);
    expect(
      bugs.issues.every(
        (i: any) => i.type === 'BUG' && i.severity === 'CRITICAL',
      ),
    ).toBe(true);
  });

  it('answers unknown projects and urls with SonarCloud error bodies', async () => {
    const missing = await get(
      '/api/measures/component?component=nope&metricKeys=coverage',
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      errors: [{ msg: "Component key 'nope' not found" }],
    });
    const unknown = await get('/api/nothing');
    expect(unknown.status).toBe(404);
    const badRequest = await get('/api/qualitygates/project_status');
    expect(badRequest.status).toBe(400);
  });
});
