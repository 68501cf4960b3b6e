/**
 * The delivery plugin family's shared contract: the one route table and path builder, the REST
 * request and response types, the error reasons with their HTTP statuses, and the permissions both
 * the backend and the frontend use.
 *
 * @packageDocumentation
 */

export * from './routes';
export * from './annotations';
export * from './errors';
export * from './permissions';
export * from './freshness';
export * from './pipeline';
export * from './findings';
export * from './dashboard';
export * from './environments';
export * from './live';
export * from './insights';
export * from './approvals';
