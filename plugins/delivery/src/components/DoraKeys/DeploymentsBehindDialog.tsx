import { Link, Table, TableColumn } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { DoraDeployment } from '@internal/plugin-delivery-common';
import { formatSpan } from '../../format/insights';

const FAILURE_LABELS: Record<string, string> = {
  'failed-status': 'failed status',
  'pipeline-rollback': 'rolled back by the pipeline',
  'portal-rollback': 'rolled back in the portal',
  'fix-deployed': 'fix deployed soon after',
};

const columns: TableColumn<DoraDeployment>[] = [
  {
    title: 'Deployment',
    field: 'id',
    render: d => <Link to={d.htmlUrl}>#{d.id}</Link>,
  },
  { title: 'Repository', field: 'repository' },
  {
    title: 'Commit',
    field: 'sha',
    render: d => <code>{d.sha.slice(0, 7)}</code>,
  },
  { title: 'Kind', field: 'kind' },
  {
    title: 'Live at',
    field: 'succeededAt',
    render: d =>
      d.succeededAt
        ? new Date(d.succeededAt).toLocaleString()
        : `failed ${new Date(d.failedAt ?? d.createdAt).toLocaleString()}`,
  },
  {
    title: 'Commits',
    field: 'commits',
    type: 'numeric',
    render: d => (d.commits === null ? 'unknown' : d.commits),
  },
  {
    title: 'Lead time (median)',
    field: 'leadTimeMedianSeconds',
    render: d => formatSpan(d.leadTimeMedianSeconds),
  },
  {
    title: 'Failure',
    field: 'failure',
    render: d =>
      d.failure
        ? `${FAILURE_LABELS[d.failure.kind]}${
            d.failure.restoredAt
              ? `, restored after ${formatSpan(
                  (Date.parse(d.failure.restoredAt) -
                    Date.parse(d.failure.at)) /
                    1000,
                )}`
              : ', not restored yet'
          }`
        : '—',
  },
];

/** The deployments one figure was computed from, so a lead can check it. */
export function DeploymentsBehindDialog(props: {
  open: boolean;
  title: string;
  deployments: DoraDeployment[];
  onClose(): void;
}) {
  const { open, title, deployments, onClose } = props;
  return (
    <Dialog open={open} onClose={onClose} maxWidth="lg" fullWidth>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Table
          columns={columns}
          data={deployments}
          options={{
            paging: deployments.length > 10,
            pageSize: 10,
            search: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
