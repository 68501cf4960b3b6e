import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlAnalysis {
  metricNames: string[];
  syntaxErrors: string[];
}

// Grafana expands these before the query reaches Prometheus; give the parser what Prometheus would see.
const grafanaVariables: [RegExp, string][] = [
  [/\$__rate_interval|\$__interval|\$__range/g, '5m'],
  [/\$\{?namespace\}?/g, 'titanic-prod'],
];

/** Parses PromQL with the Prometheus project's own grammar and lists the metric names it selects. */
export function analysePromql(expression: string): PromqlAnalysis {
  const query = grafanaVariables.reduce((text, [pattern, value]) => text.replace(pattern, value), expression);
  const metricNames = new Set<string>();
  const syntaxErrors: string[] = [];
  const cursor = parser.parse(query).cursor();
  do {
    if (cursor.type.isError) syntaxErrors.push(`syntax error at ${cursor.from} in: ${query.trim()}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') {
      metricNames.add(query.slice(cursor.from, cursor.to));
    }
    if (cursor.name === 'LabelName' && cursor.node.parent?.name === 'UnquotedLabelMatcher') {
      // {__name__="x"} selects by name too.
      const matcher = query.slice(cursor.node.parent.from, cursor.node.parent.to);
      const byName = /^__name__\s*=\s*"([^"]+)"$/.exec(matcher);
      if (byName) metricNames.add(byName[1]);
    }
  } while (cursor.next());
  return { metricNames: [...metricNames].sort(), syntaxErrors };
}

/** Series names a metric family exposes: histograms and summaries add _bucket, _sum and _count. */
export function seriesNamesOfFamily(family: string): string[] {
  return [family, `${family}_bucket`, `${family}_sum`, `${family}_count`];
}
