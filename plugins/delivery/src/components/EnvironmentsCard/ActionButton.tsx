import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { ActionPermission } from '../../hooks/useDeploymentPermissions';

/**
 * A button that stays visible when the permission is denied, disabled, with the reason as its
 * tooltip and accessible description (a disabled button gets no hover events, hence the span).
 */
export function ActionButton(
  props: ButtonProps & { permission: ActionPermission; label: string },
) {
  const { permission, label, disabled, ...rest } = props;
  const denied = !permission.loading && !permission.allowed;
  const button = (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      {...rest}
      disabled={disabled || permission.loading || denied}
      aria-label={label}
    />
  );
  if (!denied) return button;
  return (
    <Tooltip title={permission.deniedReason ?? ''}>
      <span data-testid="denied-action">{button}</span>
    </Tooltip>
  );
}
