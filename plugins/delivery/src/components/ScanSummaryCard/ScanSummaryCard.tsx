import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import {
  GITHUB_PROJECT_SLUG_ANNOTATION,
  isDeliveryAvailable,
} from '../../annotations';
import { useDeliveryDashboard } from '../../hooks/useDeliveryDashboard';
import { DeliveryErrorPanel } from '../DeliveryErrorPanel';
import { StaleDataWarning } from '../StaleDataWarning';
import { FindingCountsTable } from './FindingCountsTable';
import { QualityGateSummary } from './QualityGateSummary';

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
  const { entity } = useEntity();
  if (!isDeliveryAvailable(entity)) {
    return (
      <InfoCard title={TITLE}>
        <MissingAnnotationEmptyState
          annotation={GITHUB_PROJECT_SLUG_ANNOTATION}
        />
      </InfoCard>
    );
  }
  return <ScanSummaryBody />;
}
