/**
 * The delivery plugin family's shared contract: REST response types, route paths and the
 * permissions both the backend and the frontend use.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './routes';
export * from './types';
export * from './environments';
