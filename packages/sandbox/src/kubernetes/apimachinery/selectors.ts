/*
 * Label selectors (equality- and set-based, as in k8s.io/apimachinery/pkg/labels) and field
 * selectors (`metadata.name=x`, `involvedObject.uid=...`) over the objects the sandbox stores.
 */

import { badRequest } from './apiErrors';

type Requirement =
  | { key: string; operator: 'in' | 'notin'; values: string[] }
  | { key: string; operator: '=' | '!='; values: [string] }
  | { key: string; operator: 'exists' | '!exists'; values: [] };

export type LabelMatcher = (
  labels: Record<string, string> | undefined,
) => boolean;

/** Splits on commas that are not inside a `(...)` value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function parseRequirement(text: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    return {
      key: setMatch[1],
      operator: setMatch[2] as 'in' | 'notin',
      values: setMatch[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0),
    };
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equality) {
    return {
      key: equality[1],
      operator: equality[2] === '!=' ? '!=' : '=',
      values: [equality[3]],
    };
  }
  if (/^!\s*[^\s=!()]+$/.test(text)) {
    return { key: text.slice(1).trim(), operator: '!exists', values: [] };
  }
  if (/^[^\s=!()]+$/.test(text)) {
    return { key: text, operator: 'exists', values: [] };
  }
  throw badRequest(`unable to parse requirement: ${text}`);
}

function matchesRequirement(
  requirement: Requirement,
  labels: Record<string, string>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case '=':
      return has && value === requirement.values[0];
    case '!=':
      return !has || value !== requirement.values[0];
    case 'in':
      return has && requirement.values.includes(value);
    case 'notin':
      return !has || !requirement.values.includes(value);
    case 'exists':
      return has;
    case '!exists':
      return !has;
    default:
      return false;
  }
}

/** Parses the `labelSelector` query parameter. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector) return () => true;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return labels => requirements.every(r => matchesRequirement(r, labels ?? {}));
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

/** metav1.LabelSelectorAsSelector: an empty selector matches everything. */
export function labelSelectorMatcher(
  selector: LabelSelectorObject | undefined,
): LabelMatcher {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    requirements.push({ key, operator: '=', values: [value] });
  }
  for (const expression of selector?.matchExpressions ?? []) {
    const operator = {
      In: 'in',
      NotIn: 'notin',
      Exists: 'exists',
      DoesNotExist: '!exists',
    }[expression.operator] as Requirement['operator'];
    requirements.push({
      key: expression.key,
      operator,
      values: expression.values ?? [],
    } as Requirement);
  }
  return labels => requirements.every(r => matchesRequirement(r, labels ?? {}));
}

/** metav1.FormatLabelSelector, as kubectl prints a selector. */
export function formatLabelSelector(
  selector: LabelSelectorObject | undefined,
): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else
      parts.push(
        `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(
          e.values ?? []
        ).join(',')})`,
      );
  }
  return parts.join(',');
}

export type ObjectMatcher = (object: unknown) => boolean;

function fieldValue(object: unknown, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return String(current);
}

/** Parses the `fieldSelector` query parameter (`=`, `==`, `!=` on dotted paths). */
export function parseFieldSelector(
  selector: string | undefined,
): ObjectMatcher {
  if (!selector) return () => true;
  const terms = selector
    .split(',')
    .map(t => t.trim())
    .filter(t => t.length > 0)
    .map(term => {
      const match = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!match) {
        throw badRequest(
          `invalid selector: '${selector}'; can't understand '${term}'`,
        );
      }
      return { path: match[1], negate: match[2] === '!=', value: match[3] };
    });
  return object =>
    terms.every(t => (fieldValue(object, t.path) === t.value) !== t.negate);
}
