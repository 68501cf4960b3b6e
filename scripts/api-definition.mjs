// Keeps the catalog's titanic-api definition identical to the OpenAPI document the service itself
// serves at /openapi.json, so the API page in the portal can never describe another API. The
// document is the one the local Titanic API serves (scripts/titanic-api.mjs): its server is that
// service, so "Try it out" on the API page calls it.
//
//   node scripts/api-definition.mjs --check   exits 1 when they differ (scripts/test runs this)
//   node scripts/api-definition.mjs --write   rewrites the definition in catalog-info.yaml
//
// Needs titanic-service installed (npm ci); it prints its document through `npm run openapi`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Scalar, parse, parseAllDocuments } from 'yaml';
import { localTitanicApi } from './titanic-api.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const catalogFile = path.join(root, 'catalog-info.yaml');
const mode = process.argv[2];
if (mode !== '--check' && mode !== '--write') {
  console.error('usage: node scripts/api-definition.mjs --check|--write');
  process.exit(2);
}

const served = JSON.parse(
  execFileSync(
    'npm',
    [
      '--prefix',
      path.join(root, 'titanic-service'),
      'run',
      '--silent',
      'openapi',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, PUBLIC_BASE_URL: localTitanicApi().baseUrl },
    },
  ),
);

const documents = parseAllDocuments(readFileSync(catalogFile, 'utf8'));
const api = documents.find(
  doc =>
    doc.get('kind') === 'API' &&
    doc.getIn(['metadata', 'name']) === 'titanic-api',
);
if (!api) {
  console.error('catalog-info.yaml has no API entity named titanic-api');
  process.exit(1);
}

if (mode === '--check') {
  const registered = parse(String(api.getIn(['spec', 'definition'])));
  if (!isDeepStrictEqual(registered, served)) {
    console.error(
      'The titanic-api definition in catalog-info.yaml differs from the document titanic-service serves.\n' +
        'Run `node scripts/api-definition.mjs --write` and commit the result.',
    );
    process.exit(1);
  }
  console.log("titanic-api definition matches the service's /openapi.json");
} else {
  const definition = new Scalar(`${JSON.stringify(served, null, 2)}\n`);
  definition.type = Scalar.BLOCK_LITERAL;
  api.setIn(['spec', 'definition'], definition);
  writeFileSync(
    catalogFile,
    documents.map(doc => doc.toString({ lineWidth: 0 })).join(''),
  );
  console.log(
    'catalog-info.yaml: titanic-api definition rewritten from the service',
  );
}
