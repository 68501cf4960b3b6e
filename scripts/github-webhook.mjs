// Registers the portal's GitHub webhook on an organisation, as its owner would on GitHub: an
// organisation webhook to the portal's /api/events/http/github, signed with the portal's secret,
// for the events the delivery dashboards listen to. Run by scripts/portal against the sandbox
// GitHub; against github.com, configure the GitHub App's webhook instead (README, "Live data").
//
//   GITHUB_WEBHOOK_SECRET=… node --require <backstage nodeTransform> scripts/github-webhook.mjs \
//     --api http://127.0.0.1:7080 --org acme-corp --url http://localhost:7007/api/events/http/github
//
// The token (GITHUB_WEBHOOK_ADMIN_TOKEN) must be an organisation owner's; the default is the sandbox
// owner's. Idempotent: a hook with the same URL is updated (secret, events, active) instead of
// added again.
import { Octokit } from '@octokit/rest';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const {
  HOOK_EVENTS,
} = require('../plugins/delivery-backend/src/events/gitHubChanges.ts');
const { GITHUB_ORG_ADMIN_TOKEN } = require('../packages/sandbox/src/index.ts');

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    org: { type: 'string' },
    url: { type: 'string' },
  },
});
const secret = process.env.GITHUB_WEBHOOK_SECRET;
if (!values.api || !values.org || !values.url || !secret) {
  console.error(
    'usage: GITHUB_WEBHOOK_SECRET=… github-webhook.mjs --api <GitHub API> --org <org> --url <portal webhook URL>',
  );
  process.exit(2);
}
const octokit = new Octokit({
  baseUrl: values.api,
  auth: process.env.GITHUB_WEBHOOK_ADMIN_TOKEN ?? GITHUB_ORG_ADMIN_TOKEN,
});
const hook = {
  org: values.org,
  config: { url: values.url, content_type: 'json', secret, insecure_ssl: '0' },
  events: [...HOOK_EVENTS],
  active: true,
};
const existing = (
  await octokit.paginate(octokit.rest.orgs.listWebhooks, { org: values.org })
).find(h => h.config.url === values.url);
const { data } = existing
  ? await octokit.rest.orgs.updateWebhook({ ...hook, hook_id: existing.id })
  : await octokit.rest.orgs.createWebhook({ ...hook, name: 'web' });
console.log(
  `${existing ? 'updated' : 'created'} webhook ${data.id} of ${values.org} → ${
    values.url
  }`,
);
