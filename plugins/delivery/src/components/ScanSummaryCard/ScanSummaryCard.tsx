import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import { useDeliveryDashboard } from '../../hooks/useDeliveryDashboard';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { StaleDataWarning } from '../StaleDataWarning';
import { FindingCountsTable } from './FindingCountsTable';
import { QualityGateSummary } from './QualityGateSummary';
import { RepositoryRequired } from '../RepositoryRequired';

const TITLE = 'Scan results';

function ScanSummaryBody() {
  const { value, loading, error } = useDeliveryDashboard();
  if (error && !value) {
    return (
      <InfoCard title={TITLE}>
        <DeliveryErrorPanel error={error} title="Could not load scan results" />
      </InfoCard>
    );
  }
  if (!value) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  const { findingCounts, sonarcloud } = value;
  const hasFindings = findingCounts.total.total > 0;
  return (
    <InfoCard title={TITLE} subheader="Open findings of every scanner">
      {loading && <Progress />}
      <StaleDataWarning freshness={value.freshness} />
      {hasFindings ? (
        <FindingCountsTable counts={findingCounts} />
      ) : (
        <EmptyState
          missing="data"
          title="No open findings"
          description="Gitleaks, Checkov, Trivy and SonarCloud report nothing open for this repository."
        />
      )}
      {sonarcloud && (
        <>
          <Box my={2}>
            <Divider />
          </Box>
          <QualityGateSummary sonarcloud={sonarcloud} />
        </>
      )}
    </InfoCard>
  );
}

/** Entity card: open findings by tool and severity, and SonarCloud's quality gate. */
export function ScanSummaryCard() {
  return (
    <RepositoryRequired card={{ title: TITLE }}>
      <ScanSummaryBody />
    </RepositoryRequired>
  );
}
