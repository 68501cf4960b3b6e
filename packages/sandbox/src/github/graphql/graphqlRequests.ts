import http from 'node:http';
import { GraphQLError, execute, parse, validate } from 'graphql';
import { readBody } from '../../http/listen';
import { TokenRecord, WorldState } from '../../world/records';
import { GitHubGraphQLError, organizationGraph } from './organizationGraph';
import { gitHubSchema } from './publishedSchema';

/*
 * POST /graphql (and GHES's /api/graphql): GitHub's GraphQL API over the sandbox's world.
 * Queries are parsed and validated against GitHub's published schema and executed against it,
 * errors come back in GitHub's shape (200 with `errors`, `type` beside the message), and the
 * endpoint needs a token like GitHub's does.
 */

export const GRAPHQL_PATHS = ['/graphql', '/api/graphql'];

interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

function send(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v4; format=json',
  });
  response.end(JSON.stringify(body));
}

function gitHubError(error: GraphQLError) {
  const type =
    error.originalError instanceof GitHubGraphQLError
      ? error.originalError.type
      : undefined;
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

export async function serveGraphQLRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  state: WorldState,
  token: TokenRecord | null,
): Promise<void> {
  if (request.method !== 'POST') {
    send(response, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/graphql',
    });
    return;
  }
  if (!token) {
    send(response, 401, {
      message: 'This endpoint requires you to be authenticated.',
      documentation_url:
        'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    });
    return;
  }
  let body: GraphQLBody;
  try {
    body = JSON.parse((await readBody(request)).toString('utf8') || '{}');
  } catch {
    send(response, 400, {
      message: 'Problems parsing JSON',
      documentation_url: 'https://docs.github.com/graphql',
    });
    return;
  }
  if (typeof body.query !== 'string' || !body.query.trim()) {
    send(response, 200, {
      errors: [
        {
          message: 'A query attribute must be specified and must be a string.',
        },
      ],
    });
    return;
  }
  let document;
  try {
    document = parse(body.query);
  } catch (error) {
    send(response, 200, { errors: [gitHubError(error as GraphQLError)] });
    return;
  }
  const schema = gitHubSchema();
  const invalid = validate(schema, document);
  if (invalid.length) {
    send(response, 200, { errors: invalid.map(gitHubError) });
    return;
  }
  const result = await execute({
    schema,
    document,
    rootValue: organizationGraph(state, token.login),
    variableValues:
      body.variables && typeof body.variables === 'object'
        ? (body.variables as Record<string, unknown>)
        : undefined,
    operationName:
      typeof body.operationName === 'string' ? body.operationName : undefined,
  });
  send(response, 200, {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors?.length
      ? { errors: result.errors.map(gitHubError) }
      : {}),
  });
}
