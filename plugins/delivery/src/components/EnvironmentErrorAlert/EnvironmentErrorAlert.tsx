import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Typography from '@material-ui/core/Typography';
import { explainEnvironmentError } from './environmentErrors';

/** A failed approve/reject or rollback: what happened, what it means, and the backend's words. */
export function EnvironmentErrorAlert(props: {
  error: Error;
  action: 'review' | 'rollback';
}) {
  const { title, explanation, detail, severity } = explainEnvironmentError(
    props.error,
    props.action,
  );
  return (
    <Alert severity={severity} role="alert" data-testid="environment-error">
      <AlertTitle>{title}</AlertTitle>
      {explanation}
      {detail && (
        <Typography
          variant="body2"
          component="blockquote"
          style={{ margin: '8px 0 0', fontFamily: 'monospace' }}
        >
          {detail}
        </Typography>
      )}
    </Alert>
  );
}
