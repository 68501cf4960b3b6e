import { scopesOfUrl } from './cacheScopes';

const api = 'http://127.0.0.1:7080/repos/acme-corp/titanic-service';
const scopes = (url: string) =>
  scopesOfUrl(url, 'acme-corp', 'titanic-service');

describe('scopesOfUrl', () => {
  it('puts run lists in runs, and lists filtered by status in runs:status too', () => {
    expect(scopes(`${api}/actions/runs?per_page=20&branch=develop`)).toEqual([
      'runs',
    ]);
    expect(
      scopes(`${api}/actions/workflows/titanic-service.yml/runs?per_page=5`),
    ).toEqual(['runs']);
    expect(scopes(`${api}/actions/runs?status=waiting&per_page=20`)).toEqual([
      'runs',
      'runs:status',
    ]);
  });

  it('names the run, deployment or check run an answer is about', () => {
    expect(scopes(`${api}/actions/runs/42`)).toEqual(['run:42']);
    expect(
      scopes(`${api}/actions/runs/42/jobs?per_page=100&filter=latest`),
    ).toEqual(['jobs:42']);
    expect(scopes(`${api}/actions/runs/42/attempts/2/jobs`)).toEqual([
      'jobs:42',
    ]);
    expect(scopes(`${api}/actions/runs/42/pending_deployments`)).toEqual([
      'pending:42',
    ]);
    expect(scopes(`${api}/actions/runs/42/approvals`)).toEqual([
      'approvals:42',
    ]);
    expect(
      scopes(`${api}/deployments?environment=production&per_page=10`),
    ).toEqual(['deployments']);
    expect(scopes(`${api}/deployments/7/statuses?per_page=10`)).toEqual([
      'deployment:7',
    ]);
    expect(scopes(`${api}/check-runs/99/annotations?per_page=50`)).toEqual([
      'check-run:99',
    ]);
    expect(scopes(`${api}/code-scanning/alerts?per_page=100&page=3`)).toEqual([
      'alerts',
    ]);
    expect(scopes(api)).toEqual(['repository']);
  });

  it('reads GitHub Enterprise URLs under /api/v3, and another repository as none of these', () => {
    expect(
      scopes(
        'https://ghe.example.com/api/v3/repos/acme-corp/titanic-service/actions/runs/42',
      ),
    ).toEqual(['run:42']);
    expect(
      scopes(
        'http://127.0.0.1:7080/repos/acme-corp/other-service/actions/runs/42',
      ),
    ).toEqual([]);
  });
});
