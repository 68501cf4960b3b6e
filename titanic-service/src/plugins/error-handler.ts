import type { FastifyError, FastifyReply } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import type { ErrorResponse, FieldProblem } from '../schemas/error-response.js';

/** Turns Ajv's errors into `{ field, problem }` pairs a client can act on. */
function describeValidation(error: FastifyError): FieldProblem[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>;
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    if (typeof params.missingProperty === 'string') {
      return { field: joinField(path, params.missingProperty), problem: 'is required' };
    }
    if (typeof params.additionalProperty === 'string') {
      return {
        field: joinField(path, params.additionalProperty),
        problem: 'is not an allowed field',
      };
    }
    if (Array.isArray(params.allowedValues)) {
      return {
        field: path || context,
        problem: `must be one of ${params.allowedValues.join(', ')}`,
      };
    }
    return { field: path || context, problem: issue.message ?? 'is invalid' };
  });
}

function joinField(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

function send(reply: FastifyReply, statusCode: number, message: string, errors?: FieldProblem[]) {
  const body: ErrorResponse = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (errors !== undefined) body.errors = errors;
  return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
}

function sendBodyRequired(reply: FastifyReply) {
  return send(reply, 400, 'Request body is required', [{ field: 'body', problem: 'is required' }]);
}

/** Every failure answers with the same JSON shape; a database outage answers 503, not 500. */
export default fastifyPlugin(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // A bodiless POST or PUT, with or without a Content-Type, is told what it is missing.
      if (error.validationContext === 'body' && request.body === undefined) {
        return sendBodyRequired(reply);
      }
      if (error.validation) {
        const errors = describeValidation(error);
        const summary = errors.map((problem) => `${problem.field} ${problem.problem}`).join('; ');
        return send(
          reply,
          400,
          `Invalid ${error.validationContext ?? 'request'}: ${summary}`,
          errors,
        );
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return send(reply, 413, 'Request body is too large', [
          { field: 'body', problem: 'exceeds the size limit' },
        ]);
      }
      if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
        return send(reply, 400, 'Request body is not valid JSON', [
          { field: 'body', problem: 'is not valid JSON' },
        ]);
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable');
        reply.header('retry-after', '1');
        return send(reply, 503, 'Database unavailable, retry shortly');
      }
      const statusCode = error.statusCode ?? 500;
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
        return send(reply, statusCode, 'Internal Server Error');
      }
      return send(reply, statusCode, error.message);
    });

    app.setNotFoundHandler((request, reply) =>
      send(reply, 404, `Route ${request.method} ${request.url} not found`),
    );
  },
  { name: 'error-handler' },
);
