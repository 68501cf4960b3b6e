import { gunzipSync } from 'node:zlib';
import { AlertRecord, AnalysisRecord } from '../../world/records';
import {
  SarifValidationError,
  ingestSarif,
} from '../../world/codeScanningIngest';
import { GitHubError, invalidRequest, validationFailed } from '../errors';
import {
  alertInstance,
  alertState,
  renderAlert,
} from '../representations/codeScanningRepresentations';
import {
  RequestContext,
  Route,
  integerParam,
  jsonBody,
  paginate,
  repositoryRecords,
  requireRepository,
} from '../routing';

const DOCS = 'https://docs.github.com/rest/code-scanning/code-scanning';
const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'warning',
  'note',
  'error',
];
const STATES = ['open', 'closed', 'dismissed', 'fixed'];

function findAlert(ctx: RequestContext): AlertRecord {
  const number = integerParam(ctx, 'alert_number');
  const alert = repositoryRecords(ctx).alerts.find(a => a.number === number);
  if (!alert)
    throw new GitHubError(
      404,
      `No alert found for alert number ${number}`,
      `${DOCS}#get-a-code-scanning-alert`,
    );
  return alert;
}

function normalizeRef(ref: string | null): string | null {
  if (!ref) return null;
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

function renderAnalysis(ctx: RequestContext, analysis: AnalysisRecord) {
  const repo = requireRepository(ctx);
  return {
    ref: analysis.ref,
    commit_sha: analysis.commitSha,
    analysis_key: analysis.analysisKey,
    environment: '{}',
    category: analysis.category,
    error: '',
    created_at: analysis.createdAt,
    results_count: analysis.resultsCount,
    rules_count: analysis.rulesCount,
    id: analysis.id,
    url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/code-scanning/analyses/${analysis.id}`,
    sarif_id: analysis.sarifId,
    tool: {
      name: analysis.toolName,
      guid: null,
      version: analysis.toolVersion,
    },
    deletable: true,
    warning: '',
  };
}

export const codeScanningRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/analyses',
    handler: ctx => {
      const records = repositoryRecords(ctx);
      const toolName = ctx.query.get('tool_name');
      const ref = normalizeRef(ctx.query.get('ref'));
      const sarifId = ctx.query.get('sarif_id');
      const direction = ctx.query.get('direction') ?? 'desc';
      if (!['asc', 'desc'].includes(direction)) {
        throw validationFailed(
          [
            {
              resource: 'CodeScanningAnalysis',
              field: 'direction',
              code: 'invalid',
            },
          ],
          `${DOCS}#list-code-scanning-analyses-for-a-repository`,
        );
      }
      const analyses = records.analyses
        .filter(a => Date.parse(a.createdAt) <= ctx.now)
        .filter(a => !toolName || a.toolName === toolName)
        .filter(a => !ref || a.ref === ref)
        .filter(a => !sarifId || a.sarifId === sarifId)
        .sort((a, b) => (direction === 'asc' ? a.id - b.id : b.id - a.id));
      const page = paginate(ctx, analyses);
      return {
        body: page.items.map(a => renderAnalysis(ctx, a)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/analyses/{analysis_id}',
    handler: ctx => {
      const id = integerParam(ctx, 'analysis_id');
      const analysis = repositoryRecords(ctx).analyses.find(a => a.id === id);
      if (!analysis) {
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}#get-a-code-scanning-analysis-for-a-repository`,
        );
      }
      return { body: renderAnalysis(ctx, analysis) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/alerts',
    handler: ctx => {
      const records = repositoryRecords(ctx);
      const toolName = ctx.query.get('tool_name');
      const toolGuid = ctx.query.get('tool_guid');
      const severity = ctx.query.get('severity');
      const state = ctx.query.get('state');
      const ref = normalizeRef(ctx.query.get('ref'));
      const sort = ctx.query.get('sort') ?? 'created';
      const direction = ctx.query.get('direction') ?? 'desc';
      const invalid: Array<{ resource: string; field: string; code: string }> =
        [];
      if (severity && !SEVERITIES.includes(severity))
        invalid.push({
          resource: 'CodeScanningAlert',
          field: 'severity',
          code: 'invalid',
        });
      if (state && !STATES.includes(state))
        invalid.push({
          resource: 'CodeScanningAlert',
          field: 'state',
          code: 'invalid',
        });
      if (!['created', 'updated'].includes(sort))
        invalid.push({
          resource: 'CodeScanningAlert',
          field: 'sort',
          code: 'invalid',
        });
      if (!['asc', 'desc'].includes(direction))
        invalid.push({
          resource: 'CodeScanningAlert',
          field: 'direction',
          code: 'invalid',
        });
      if (invalid.length > 0)
        throw validationFailed(
          invalid,
          `${DOCS}#list-code-scanning-alerts-for-a-repository`,
        );

      const alerts = records.alerts
        .filter(a => Date.parse(a.createdAt) <= ctx.now)
        .filter(a => alertInstance(ctx, a, ref) !== undefined)
        .filter(a => !toolName || a.toolName === toolName)
        .filter(a => !toolGuid || a.toolGuid === toolGuid)
        .filter(
          a =>
            !severity ||
            a.rule.securitySeverityLevel === severity ||
            a.rule.severity === severity,
        )
        .filter(a => {
          if (!state) return true;
          const current = alertState(ctx, a, ref);
          return state === 'closed' ? current !== 'open' : current === state;
        })
        .sort((a, b) => {
          const key =
            sort === 'updated'
              ? a.updatedAt.localeCompare(b.updatedAt)
              : a.createdAt.localeCompare(b.createdAt);
          const order = key !== 0 ? key : a.number - b.number;
          return direction === 'asc' ? order : -order;
        });
      const page = paginate(ctx, alerts);
      return {
        body: page.items.map(a => renderAlert(ctx, a, ref, false)),
        headers: page.headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}',
    handler: ctx => ({ body: renderAlert(ctx, findAlert(ctx), null, true) }),
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/code-scanning/alerts/{alert_number}',
    write: true,
    handler: ctx => {
      const alert = findAlert(ctx);
      const docs = `${DOCS}#update-a-code-scanning-alert`;
      const body = jsonBody(ctx, docs);
      if (body.state !== 'open' && body.state !== 'dismissed') {
        throw invalidRequest(
          `For 'properties/state', ${JSON.stringify(
            body.state,
          )} is not a possible value.`,
          docs,
        );
      }
      if (body.state === 'dismissed') {
        const reasons = ['false positive', "won't fix", 'used in tests'];
        if (!reasons.includes(body.dismissed_reason as string)) {
          throw invalidRequest(
            `For 'properties/dismissed_reason', ${JSON.stringify(
              body.dismissed_reason,
            )} is not a possible value.`,
            docs,
          );
        }
        alert.dismissed = {
          byLogin: ctx.user!.login,
          at: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          reason: body.dismissed_reason as 'false positive',
          comment:
            typeof body.dismissed_comment === 'string'
              ? body.dismissed_comment
              : null,
        };
      } else {
        alert.dismissed = null;
      }
      alert.updatedAt = new Date(ctx.now)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      return { body: renderAlert(ctx, alert, null, true) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/code-scanning/sarifs',
    write: true,
    handler: ctx => {
      const repo = requireRepository(ctx);
      const docs = `${DOCS}#upload-an-analysis-as-sarif-data`;
      const body = jsonBody(ctx, docs);
      const missing = ['commit_sha', 'ref', 'sarif'].filter(
        key => body[key] === undefined,
      );
      if (missing.length > 0) {
        throw invalidRequest(
          missing.map(key => `"${key}" wasn't supplied.`).join('\n'),
          docs,
        );
      }
      if (
        typeof body.commit_sha !== 'string' ||
        !/^[0-9a-f]{40}$/.test(body.commit_sha)
      ) {
        throw invalidRequest(
          `For 'properties/commit_sha', ${JSON.stringify(
            body.commit_sha,
          )} does not match "^[0-9a-fA-F]+$" or is not 40 characters.`,
          docs,
        );
      }
      if (
        typeof body.ref !== 'string' ||
        !/^refs\/(heads|tags|pull)\/.+/.test(body.ref)
      ) {
        throw invalidRequest(
          `For 'properties/ref', ${JSON.stringify(
            body.ref,
          )} does not match "^refs/(heads|tags|pull)/.*$".`,
          docs,
        );
      }
      let sarif: unknown;
      try {
        sarif = JSON.parse(
          gunzipSync(Buffer.from(String(body.sarif), 'base64')).toString(
            'utf8',
          ),
        );
      } catch {
        throw new GitHubError(
          400,
          'A header with the SARIF file could not be decoded: the sarif field must be gzip-compressed and base64-encoded.',
          docs,
        );
      }
      const at = new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
      try {
        const upload = ingestSarif(ctx.state, sarif as never, {
          repositoryId: repo.id,
          ref: body.ref,
          commitSha: body.commit_sha,
          at,
        });
        return {
          status: 202,
          body: {
            id: upload.id,
            url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/code-scanning/sarifs/${upload.id}`,
          },
        };
      } catch (error) {
        if (error instanceof SarifValidationError) {
          throw new GitHubError(400, `Invalid SARIF: ${error.message}`, docs);
        }
        throw error;
      }
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}',
    handler: ctx => {
      const repo = requireRepository(ctx);
      const upload = repositoryRecords(ctx).sarifUploads.find(
        u => u.id === ctx.params.sarif_id,
      );
      if (!upload)
        throw new GitHubError(
          404,
          'Not Found',
          `${DOCS}#get-information-about-a-sarif-upload`,
        );
      return {
        body: {
          processing_status: upload.processingStatus,
          analyses_url: `${ctx.apiUrl}/repos/${repo.owner}/${repo.name}/code-scanning/analyses?sarif_id=${upload.id}`,
          errors: upload.errors,
        },
      };
    },
  },
];
