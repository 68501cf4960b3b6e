import {
  DELIVERY_ERROR_REASONS,
  DeliveryErrorReason,
  deliveryError,
  reasonOf,
} from './errors';

/** The status Backstage's error middleware answers each @backstage/errors type with. */
const STATUS_OF_ERROR_NAME: Record<string, number> = {
  AuthenticationError: 401,
  InputError: 400,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

describe('delivery errors', () => {
  it('answers every reason with the HTTP status the contract gives it', () => {
    for (const [reason, status] of Object.entries(DELIVERY_ERROR_REASONS)) {
      const error = deliveryError(reason as DeliveryErrorReason, 'why');
      expect([reason, STATUS_OF_ERROR_NAME[error.name]]).toEqual([
        reason,
        status,
      ]);
    }
  });

  it('carries the reason and its details for clients to read', () => {
    const error = deliveryError('revision-changed', 'moved on', {
      currentRevision: 7,
    });
    expect(error).toMatchObject({
      name: 'ConflictError',
      message: 'moved on',
      details: { reason: 'revision-changed', currentRevision: 7 },
    });
    expect(reasonOf(error)).toBe('revision-changed');
  });

  it('finds no reason on other errors', () => {
    expect(reasonOf(new Error('plain'))).toBeUndefined();
    expect(
      reasonOf(Object.assign(new Error('x'), { details: { reason: 'nope' } })),
    ).toBeUndefined();
    expect(reasonOf(undefined)).toBeUndefined();
  });
});
