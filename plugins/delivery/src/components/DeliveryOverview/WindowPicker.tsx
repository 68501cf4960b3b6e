import { INSIGHTS_WINDOWS } from '@internal/plugin-delivery-common';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';

/** 7, 30 or 90 days. */
export function WindowPicker(props: {
  days: number;
  onChange(days: number): void;
}) {
  return (
    <ButtonGroup size="small" aria-label="Window">
      {INSIGHTS_WINDOWS.map(days => (
        <Button
          key={days}
          variant={props.days === days ? 'contained' : 'outlined'}
          color="primary"
          aria-pressed={props.days === days}
          onClick={() => props.onChange(days)}
        >
          {days} days
        </Button>
      ))}
    </ButtonGroup>
  );
}
