import { NotFoundError } from '@backstage/errors';
import {
  Finding,
  FindingSeverity,
  FindingState,
} from '@internal/plugin-delivery-common';
import { Fetched, freshNow } from '../cache/freshness';
import { CachedGitHub } from '../github/cachedGitHub';
import { GitHubAlert, RepositoryRef } from '../github/types';

/* GitHub code-scanning alerts (the SARIF gitleaks, Checkov and Trivy upload) as findings. */

const SECURITY_SEVERITIES: FindingSeverity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/** Security severity when the rule has one, else the SARIF level: error/warning/note. */
export function alertSeverity(rule: GitHubAlert['rule']): FindingSeverity {
  const security = rule.security_severity_level?.toLowerCase() as
    | FindingSeverity
    | undefined;
  if (security && SECURITY_SEVERITIES.includes(security)) return security;
  switch (rule.severity) {
    case 'error':
      return 'high';
    case 'warning':
      return 'medium';
    case 'note':
      return 'low';
    default:
      return 'info';
  }
}

export function alertState(alert: Pick<GitHubAlert, 'state'>): FindingState {
  if (alert.state === 'open') return 'open';
  if (alert.state === 'dismissed') return 'dismissed';
  return 'fixed';
}

/** The rule's documentation: its help URI, else the first link in the alert's message. */
export function alertHelpUrl(alert: GitHubAlert): string | null {
  if (alert.rule.help_uri) return alert.rule.help_uri;
  const text = alert.most_recent_instance?.message?.text ?? '';
  const link = /\((https?:\/\/[^)\s]+)\)|(https?:\/\/\S+)/.exec(text);
  if (link) return link[1] ?? link[2];
  const cve = /^CVE-\d{4}-\d+$/i.exec(alert.rule.id ?? '');
  if (cve) return `https://avd.aquasec.com/nvd/${cve[0].toLowerCase()}`;
  const ghsa = /^GHSA(-[a-z0-9]{4}){3}$/i.exec(alert.rule.id ?? '');
  if (ghsa) return `https://github.com/advisories/${ghsa[0]}`;
  return null;
}

function closedAt(alert: GitHubAlert, state: FindingState): string | null {
  if (state === 'fixed') return alert.fixed_at ?? null;
  if (state === 'dismissed') return alert.dismissed_at ?? null;
  return null;
}

export function normalizeAlert(alert: GitHubAlert): Finding {
  const instance = alert.most_recent_instance;
  const message =
    instance?.message?.text?.trim() ||
    alert.rule.description ||
    alert.rule.name ||
    '';
  const state = alertState(alert);
  return {
    id: `code-scanning:${alert.number}`,
    source: 'code-scanning',
    tool: alert.tool.name ?? 'unknown',
    rule: {
      id: alert.rule.id ?? 'unknown',
      name: alert.rule.name ?? null,
      description: alert.rule.description ?? null,
    },
    severity: alertSeverity(alert.rule),
    rawSeverity:
      alert.rule.security_severity_level ?? alert.rule.severity ?? 'none',
    state,
    location: {
      path: instance?.location?.path ?? '',
      startLine: instance?.location?.start_line ?? null,
      endLine: instance?.location?.end_line ?? null,
    },
    message,
    helpUrl: alertHelpUrl(alert),
    htmlUrl: alert.html_url,
    firstSeenAt: alert.created_at,
    updatedAt: alert.updated_at ?? null,
    closedAt: closedAt(alert, state),
  };
}

/** Normalized pages, kept as long as the cache keeps the page: a view re-normalizes nothing. */
const normalizedPages = new WeakMap<object, Finding[]>();

function normalizedPage(page: GitHubAlert[]): Finding[] {
  let findings = normalizedPages.get(page);
  if (!findings) {
    findings = page.map(normalizeAlert);
    normalizedPages.set(page, findings);
  }
  return findings;
}

/**
 * Every code-scanning alert of the repository in every state, following the Link header
 * page by page (GitHub serves at most 100 per page; there is no cap on pages).
 */
export async function codeScanningFindings(
  github: CachedGitHub,
  repo: RepositoryRef,
): Promise<Fetched<Finding[]>> {
  try {
    const alerts = await github.getAllPages<GitHubAlert>(
      repo,
      'GET /repos/{owner}/{repo}/code-scanning/alerts',
      { sort: 'created', direction: 'desc' },
    );
    return {
      data: alerts.pages.flatMap(page => normalizedPage(page as GitHubAlert[])),
      freshness: alerts.freshness,
    };
  } catch (error) {
    // No analysis was ever uploaded: no findings rather than an error.
    if (error instanceof NotFoundError) {
      return { data: [], freshness: freshNow() };
    }
    throw error;
  }
}
