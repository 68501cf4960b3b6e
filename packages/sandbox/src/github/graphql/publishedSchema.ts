import fs from 'node:fs';
import path from 'node:path';
import { GraphQLSchema, buildSchema } from 'graphql';

/*
 * GitHub's published GraphQL schema (@octokit/graphql-schema, the IDL GitHub serves at
 * docs.github.com). The sandbox executes every query against it, so a query GitHub would refuse is
 * refused here, and every answer has the types and nullability GitHub's has.
 */

const PACKAGE = '@octokit/graphql-schema';

/** The package is ESM-only with no file exports: its schema.graphql is found on Node's paths. */
export function publishedSchemaPath(): string {
  for (const directory of require.resolve.paths(PACKAGE) ?? []) {
    const candidate = path.join(directory, PACKAGE, 'schema.graphql');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${PACKAGE} is not installed: no schema.graphql found`);
}

let schema: GraphQLSchema | undefined;

/** Built once per process (about a second): the IDL is large. */
export function gitHubSchema(): GraphQLSchema {
  schema ??= buildSchema(fs.readFileSync(publishedSchemaPath(), 'utf8'), {
    assumeValidSDL: true,
  });
  return schema;
}
