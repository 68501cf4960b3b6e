import { AlertRecord } from '../../world/records';
import { RenderContext, repoApi, repoWeb, repositoryOf } from './renderContext';
import { renderUserByLogin } from './repositoryRepresentations';

/* Code scanning alerts (routes/codeScanningRoutes.ts). */

export type AlertState = 'open' | 'dismissed' | 'fixed';

/** The alert's instance on `ref` (or the default branch, else the most recent one). */
export function alertInstance(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
) {
  const defaultRef = `refs/heads/${repositoryOf(ctx).defaultBranch}`;
  if (ref) return alert.instances.find(i => i.ref === ref);
  return (
    alert.instances.find(i => i.ref === defaultRef) ??
    [...alert.instances]
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .at(-1)
  );
}

export function alertState(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
): AlertState {
  if (alert.dismissed) return 'dismissed';
  const instance = alertInstance(ctx, alert, ref);
  return instance?.state === 'open' ? 'open' : 'fixed';
}

export function renderAlert(
  ctx: RenderContext,
  alert: AlertRecord,
  ref: string | null,
  detailed: boolean,
) {
  const api = repoApi(ctx);
  const instance = alertInstance(ctx, alert, ref)!;
  const state = alertState(ctx, alert, ref);
  const rule: Record<string, unknown> = {
    id: alert.rule.id,
    severity: alert.rule.severity,
    description: alert.rule.description,
    name: alert.rule.name,
    tags: alert.rule.tags,
    security_severity_level: alert.rule.securitySeverityLevel,
  };
  if (detailed) {
    rule.full_description = alert.rule.fullDescription;
    rule.help = alert.rule.help;
    rule.help_uri = alert.rule.helpUri;
  }
  return {
    number: alert.number,
    created_at: alert.createdAt,
    updated_at: alert.updatedAt,
    url: `${api}/code-scanning/alerts/${alert.number}`,
    html_url: `${repoWeb(ctx)}/security/code-scanning/${alert.number}`,
    instances_url: `${api}/code-scanning/alerts/${alert.number}/instances`,
    state,
    fixed_at: state === 'fixed' ? instance.fixedAt : null,
    dismissed_by: alert.dismissed
      ? renderUserByLogin(ctx, alert.dismissed.byLogin)
      : null,
    dismissed_at: alert.dismissed?.at ?? null,
    dismissed_reason: alert.dismissed?.reason ?? null,
    dismissed_comment: alert.dismissed?.comment ?? null,
    rule,
    tool: {
      name: alert.toolName,
      guid: alert.toolGuid,
      version: alert.toolVersion,
    },
    most_recent_instance: {
      ref: instance.ref,
      analysis_key: instance.analysisKey,
      environment: '{}',
      category: instance.category,
      state: alert.dismissed ? 'dismissed' : instance.state,
      commit_sha: instance.commitSha,
      message: { text: instance.message },
      location: {
        path: instance.location.path,
        start_line: instance.location.startLine,
        end_line: instance.location.endLine,
        start_column: instance.location.startColumn,
        end_column: instance.location.endColumn,
      },
      classifications: [],
    },
    assignees: [],
  };
}
