import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import { monitoringRoot, repositoryRoot } from '../support/repositoryPaths.js';
import { analysePromql, seriesNamesOfFamily } from '../support/promqlMetricNames.js';
import { readServiceMetricFamilies, type ServiceMetricFamilies } from '../support/serviceMetrics.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleFile = parse(fs.readFileSync(path.join(monitoringRoot, 'prometheus-rules.yaml'), 'utf8')) as {
  groups: { name: string; rules: Rule[] }[];
};
const rules = ruleFile.groups.flatMap(group => group.rules);
const alerts = rules.filter(rule => rule.alert);
const recordedNames = rules.flatMap(rule => (rule.record ? [rule.record] : []));

const dashboard = JSON.parse(fs.readFileSync(path.join(monitoringRoot, 'grafana-dashboard.json'), 'utf8'));
const dashboardQueries: { panel: string; expr: string }[] = dashboard.panels.flatMap((panel: any) =>
  (panel.targets ?? []).map((target: any) => ({ panel: panel.title, expr: target.expr })),
);
const templateQueries: { panel: string; expr: string }[] = dashboard.templating.list
  .filter((variable: any) => variable.type === 'query')
  .map((variable: any) => ({ panel: `variable ${variable.name}`, expr: variable.query.query.replace(/^label_values\((.*), *\w+\)$/, '$1') }));

const everyQuery = [
  ...rules.map(rule => ({ panel: rule.alert ?? rule.record!, expr: rule.expr })),
  ...dashboardQueries,
  ...templateQueries,
];

describe('PromQL metric-name extraction', () => {
  it('finds selected metrics and ignores functions, label names and grouping labels', () => {
    const { metricNames, syntaxErrors } = analysePromql(
      'sum by (route, le) (rate(http_request_duration_seconds_bucket{status_code=~"5.."}[$__rate_interval])) / on (pod) group_left up',
    );
    expect(syntaxErrors).toEqual([]);
    expect(metricNames).toEqual(['http_request_duration_seconds_bucket', 'up']);
  });

  it('reports a syntax error', () => {
    expect(analysePromql('sum(rate(http_requests_total[5m])').syntaxErrors).not.toEqual([]);
  });
});

describe('Prometheus rules', () => {
  it('form a valid PrometheusRule spec (the prometheus-operator CRD schema)', () => {
    const asCustomResource = new PrometheusRule({ metadata: { name: 'titanic-service' }, spec: ruleFile as any });
    expect(() => asCustomResource.validate()).not.toThrow();
  });

  it('are all valid PromQL (parsed with the Prometheus lezer grammar; promtool is not installed here)', () => {
    for (const rule of rules) expect(analysePromql(rule.expr).syntaxErrors, rule.alert ?? rule.record).toEqual([]);
  });

  it('cover error ratio, latency SLO burn rate, saturation, restarts, availability and database connections', () => {
    expect(alerts.map(alert => alert.alert).sort()).toEqual(
      [
        'CpuSaturated',
        'DatabaseConnectionsHigh',
        'DatabasePoolExhausted',
        'ServiceDown',
        'EventLoopSaturated',
        'HighErrorRatio',
        'LatencyBudgetFastBurn',
        'LatencyBudgetSlowBurn',
        'PodRestarting',
      ].sort(),
    );
  });

  it('give every alert a severity, a summary, a description and a runbook that exists in docs/', () => {
    const observabilityDoc = fs.readFileSync(path.join(repositoryRoot, 'docs', 'observability.md'), 'utf8');
    const anchors = new Set(
      [...observabilityDoc.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) =>
        heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-'),
      ),
    );
    for (const alert of alerts) {
      expect(['critical', 'warning'], alert.alert).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, alert.alert).toBeTruthy();
      expect(alert.annotations?.description, alert.alert).toBeTruthy();
      const runbook = alert.annotations?.runbook_url ?? '';
      expect(runbook, alert.alert).toMatch(/\/docs\/observability\.md#/);
      expect(anchors, `${alert.alert} runbook anchor`).toContain(runbook.split('#')[1]);
    }
  });

  it('burn the latency budget at 14.4x over 1h+5m (page) and 6x over 6h+30m (ticket)', () => {
    const fast = alerts.find(alert => alert.alert === 'LatencyBudgetFastBurn')!;
    const slow = alerts.find(alert => alert.alert === 'LatencyBudgetSlowBurn')!;
    expect(fast.expr).toMatch(/ratio_rate1h > \(14\.4 \* 0\.01\)[\s\S]*ratio_rate5m > \(14\.4 \* 0\.01\)/);
    expect(slow.expr).toMatch(/ratio_rate6h > \(6 \* 0\.01\)[\s\S]*ratio_rate30m > \(6 \* 0\.01\)/);
    expect(fast.labels?.severity).toBe('critical');
    expect(slow.labels?.severity).toBe('warning');
  });
});

describe('alert routing (Alertmanager)', () => {
  const routingText = fs.readFileSync(path.join(monitoringRoot, 'alertmanager-config.yaml'), 'utf8');
  const routing = parse(routingText);
  const receivers = new Map<string, any>(routing.spec.receivers.map((receiver: any) => [receiver.name, receiver]));

  it('is a valid AlertmanagerConfig (the prometheus-operator CRD schema)', () => {
    expect(routing.kind).toBe('AlertmanagerConfig');
    expect(() => new AlertmanagerConfig(routing).validate()).not.toThrow();
  });

  it("selects exactly the alerts the rules label with this service, and sends them to a Slack channel", () => {
    const matcher = routing.spec.route.matchers.find((candidate: any) => candidate.name === 'service');
    expect(matcher).toMatchObject({ matchType: '=', value: routing.metadata.name });
    for (const alert of alerts) expect(alert.labels?.service, alert.alert).toBe(matcher.value);
    const routed = [routing.spec.route, ...(routing.spec.route.routes ?? [])].map((route: any) => route.receiver);
    for (const name of routed) {
      const slack = receivers.get(name)?.slackConfigs ?? [];
      expect(slack.length, name).toBeGreaterThan(0);
      for (const config of slack) expect(config.channel).toMatch(/^#[a-z0-9][a-z0-9_-]*$/);
    }
  });

  it('reads the Slack webhook from a Secret and never holds a webhook URL', () => {
    for (const receiver of receivers.values()) {
      for (const config of receiver.slackConfigs ?? []) {
        expect(config.apiURL).toEqual({ name: expect.any(String), key: expect.any(String) });
      }
    }
    expect(routingText).not.toMatch(/hooks\.slack\.com|https?:\/\//);
  });
});

describe('Grafana dashboard', () => {
  it('is valid PromQL in every panel', () => {
    expect(dashboardQueries.length).toBeGreaterThan(10);
    for (const query of dashboardQueries) expect(analysePromql(query.expr).syntaxErrors, query.panel).toEqual([]);
  });

  it('has RED panels (rate, errors, duration), database pool panels and pod panels', () => {
    const titles = dashboard.panels.map((panel: any) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Requests per second by route',
        'Errors per second by route and status',
        'Latency percentiles',
        'Pool connections by state',
        'Pods up',
        'Restarts (30 min)',
      ]),
    );
  });

  it('has unique panel ids and positions inside the 24-column grid', () => {
    const ids = dashboard.panels.map((panel: any) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
  });
});

describe('metric names agree with titanic-service', () => {
  let service: ServiceMetricFamilies;
  beforeAll(() => {
    service = readServiceMetricFamilies();
  });

  it('uses only metrics that titanic-service exports at /metrics (from `npm run metrics:names`)', context => {
    if (!service.available) {
      console.warn(`SKIPPED metric cross-check: ${service.reason}`);
      context.skip();
      return;
    }
    const families = service.families;
    expect(families).toContain('http_requests_total');
    // `up` is written by Prometheus for every scrape target; recording rules come from this file.
    const known = new Set(['up', ...recordedNames, ...families.flatMap(seriesNamesOfFamily)]);
    const unknown = everyQuery.flatMap(query =>
      analysePromql(query.expr).metricNames.filter(name => !known.has(name)).map(name => `${query.panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('uses every service-specific metric family somewhere', context => {
    if (!service.available) {
      console.warn(`SKIPPED metric coverage check: ${service.reason}`);
      context.skip();
      return;
    }
    const used = new Set(everyQuery.flatMap(query => analysePromql(query.expr).metricNames));
    const serviceSpecific = service.families.filter(name => name.startsWith('titanic_') || name.startsWith('http_'));
    for (const family of serviceSpecific) {
      expect(seriesNamesOfFamily(family).some(name => used.has(name)), family).toBe(true);
    }
  });
});
