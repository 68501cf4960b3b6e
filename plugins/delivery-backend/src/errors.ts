import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DeliveryErrorDetails,
  EnvironmentErrorDetails,
} from '@internal/plugin-delivery-common';

type ErrorClass =
  | typeof InputError
  | typeof NotAllowedError
  | typeof NotFoundError
  | typeof ConflictError
  | typeof ServiceUnavailableError;

/**
 * A @backstage/errors error carrying `details`: Backstage's error middleware serializes own
 * properties, so clients read `error.details.reason` without parsing messages.
 */
export function deliveryError<T extends ErrorClass>(
  ErrorType: T,
  message: string,
  details: DeliveryErrorDetails | EnvironmentErrorDetails,
): InstanceType<T> {
  const error = new ErrorType(message) as InstanceType<T>;
  return Object.assign(error, { details });
}
