import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  QualityGateCondition,
  SonarCloudSummary,
} from '@internal/plugin-delivery-common';

function QualityGateStatus(props: { status: string }) {
  switch (props.status) {
    case 'OK':
      return <StatusOK>Passed</StatusOK>;
    case 'ERROR':
      return <StatusError>Failed</StatusError>;
    case 'WARN':
      return <StatusWarning>Warning</StatusWarning>;
    default:
      return <StatusPending>No quality gate</StatusPending>;
  }
}

/** "Coverage on New Code 41 (needs ≥ 80)": what a failing condition measured and required. */
function describeCondition(condition: QualityGateCondition): string {
  const name = condition.metricName ?? condition.metric;
  // SonarCloud's comparator says when the condition fails: LT = fails below the threshold.
  const requirements: Record<string, string> = {
    LT: `needs ≥ ${condition.threshold}`,
    GT: `needs ≤ ${condition.threshold}`,
  };
  const requirement =
    requirements[condition.comparator] ?? `threshold ${condition.threshold}`;
  return `${name}: ${condition.actual ?? '—'} (${requirement})`;
}

/** SonarCloud's quality gate for the entity: status, failing conditions, link to the project. */
export function QualityGateSummary(props: { sonarcloud: SonarCloudSummary }) {
  const { sonarcloud } = props;
  const { qualityGate } = sonarcloud;
  const failing = qualityGate.conditions.filter(c => c.status !== 'OK');
  return (
    <Box data-testid="quality-gate">
      <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
        <Typography variant="subtitle2" component="span">
          SonarCloud quality gate
        </Typography>
        <QualityGateStatus status={qualityGate.status} />
        <Link to={sonarcloud.dashboardUrl}>Open in SonarCloud</Link>
      </Box>
      {qualityGate.status !== 'OK' && qualityGate.summary && (
        <Typography variant="body2" color="error">
          {qualityGate.summary}
        </Typography>
      )}
      {failing.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {failing.map(condition => (
            <li key={condition.metric}>
              <Typography variant="body2">
                {describeCondition(condition)}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
