import { SidebarItem } from '@backstage/core-components';
import Badge from '@material-ui/core/Badge';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { useApprovalsCount } from './useApprovals';

/** The sidebar's way to the approvals inbox, with how many deployments wait for the person. */
export function ApprovalsSidebarItem() {
  const { value } = useApprovalsCount();
  const count = value?.count ?? 0;
  const Icon = () => (
    <Badge
      badgeContent={count}
      color="secondary"
      max={99}
      overlap="rectangular"
      data-testid="approvals-badge"
      aria-label={`${count} deployments wait for your review`}
    >
      <AssignmentTurnedInIcon fontSize="small" />
    </Badge>
  );
  return <SidebarItem icon={Icon} to="/approvals" text="Approvals" />;
}
