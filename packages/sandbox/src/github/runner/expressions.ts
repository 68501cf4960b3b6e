/*
 * GitHub Actions expressions (`${{ … }}` and `if:` conditions): literals, context property
 * access, `!`, comparisons, `&&`/`||` and the functions workflows use (status checks, contains,
 * startsWith, endsWith, format, join, toJSON, fromJSON, hashFiles), with GitHub's loose
 * equality and case-insensitive string comparison.
 */

export type ExpressionValue =
  | string
  | number
  | boolean
  | null
  | ExpressionValue[]
  | { [key: string]: ExpressionValue };

export interface ExpressionScope {
  /** Contexts by name: github, env, inputs, needs, steps, secrets, job, runner, vars… */
  contexts: Record<string, ExpressionValue>;
  /**
   * What success(), failure() and cancelled() ask: how the job or its needs went so far
   * (`skipped`: a needed job was skipped, so only always() holds).
   */
  status: 'success' | 'failure' | 'cancelled' | 'skipped';
  /** hashFiles(patterns…): the hash of matching workspace files, '' when none match. */
  hashFiles?: (patterns: string[]) => string;
}

export class ExpressionError extends Error {}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'operator'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= source.length)
          throw new ExpressionError(`Unterminated string in ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (source[i] === "'") {
          i += 1;
          break;
        } else {
          value += source[i];
          i += 1;
        }
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(char)) {
      const match = /^(0x[0-9a-f]+|[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?)/i.exec(
        source.slice(i),
      )!;
      tokens.push({ kind: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'word', value: match[0] });
      i += match[0].length;
    } else {
      const two = source.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
        tokens.push({ kind: 'operator', value: two });
        i += 2;
      } else if ('!<>().[],*'.includes(char)) {
        tokens.push({ kind: 'operator', value: char });
        i += 1;
      } else {
        throw new ExpressionError(`Unexpected "${char}" in ${source}`);
      }
    }
  }
  return tokens;
}

export function truthy(value: ExpressionValue): boolean {
  return !(
    value === false ||
    value === null ||
    value === 0 ||
    value === '' ||
    Number.isNaN(value)
  );
}

/** How a value reads inside a string (`${{ … }}` in a name, `with:` or `env:`). */
export function asText(value: ExpressionValue): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

function asNumber(value: ExpressionValue): number {
  if (value === null || value === false || value === '') return 0;
  if (value === true) return 1;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? 0 : Number(trimmed);
  }
  return NaN;
}

function compare(left: ExpressionValue, right: ExpressionValue): number {
  if (typeof left === 'string' && typeof right === 'string') {
    const a = left.toLowerCase();
    const b = right.toLowerCase();
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }
  if (typeof left === 'object' || typeof right === 'object') {
    return left === right ? 0 : NaN;
  }
  const a = asNumber(left);
  const b = asNumber(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function property(value: ExpressionValue, key: string): ExpressionValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (Array.isArray(value) && /^\d+$/.test(key))
      return value[Number(key)] ?? null;
    return null;
  }
  if (key in value) return value[key];
  // Context keys are case-insensitive.
  const found = Object.keys(value).find(
    k => k.toLowerCase() === key.toLowerCase(),
  );
  return found === undefined ? null : value[found];
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly scope: ExpressionScope,
    private readonly source: string,
  ) {}

  parse(): ExpressionValue {
    const value = this.or();
    if (this.position < this.tokens.length)
      throw new ExpressionError(`Unexpected token in ${this.source}`);
    return value;
  }

  private peek(value?: string): boolean {
    const token = this.tokens[this.position];
    return (
      token?.kind === 'operator' &&
      (value === undefined || token.value === value)
    );
  }

  private expect(value: string): void {
    if (!this.peek(value))
      throw new ExpressionError(`Expected "${value}" in ${this.source}`);
    this.position += 1;
  }

  private or(): ExpressionValue {
    let left = this.and();
    while (this.peek('||')) {
      this.position += 1;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): ExpressionValue {
    let left = this.comparison();
    while (this.peek('&&')) {
      this.position += 1;
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): ExpressionValue {
    let left = this.unary();
    for (;;) {
      const token = this.tokens[this.position];
      if (
        token?.kind !== 'operator' ||
        !['==', '!=', '<', '<=', '>', '>='].includes(token.value)
      )
        return left;
      this.position += 1;
      const right = this.unary();
      const order = compare(left, right);
      switch (token.value) {
        case '==':
          left = order === 0;
          break;
        case '!=':
          left = order !== 0;
          break;
        case '<':
          left = order < 0;
          break;
        case '<=':
          left = order <= 0;
          break;
        case '>':
          left = order > 0;
          break;
        default:
          left = order >= 0;
      }
    }
  }

  private unary(): ExpressionValue {
    if (this.peek('!')) {
      this.position += 1;
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private postfix(start: ExpressionValue): ExpressionValue {
    let value = start;
    for (;;) {
      if (this.peek('.')) {
        this.position += 1;
        const token = this.tokens[this.position];
        if (token?.kind === 'operator' && token.value === '*') {
          this.position += 1;
          value = Array.isArray(value) ? value : Object.values(value ?? {});
          continue;
        }
        if (token?.kind !== 'word')
          throw new ExpressionError(`Expected a property in ${this.source}`);
        this.position += 1;
        value = property(value, token.value);
      } else if (this.peek('[')) {
        this.position += 1;
        const key = this.or();
        this.expect(']');
        value = property(value, asText(key));
      } else {
        return value;
      }
    }
  }

  private primary(): ExpressionValue {
    const token = this.tokens[this.position];
    if (!token) throw new ExpressionError(`Unexpected end of ${this.source}`);
    this.position += 1;
    if (token.kind === 'string' || token.kind === 'number') return token.value;
    if (token.kind === 'operator') {
      if (token.value !== '(')
        throw new ExpressionError(
          `Unexpected "${token.value}" in ${this.source}`,
        );
      const value = this.or();
      this.expect(')');
      return value;
    }
    const word = token.value;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (this.peek('(')) {
      this.position += 1;
      const args: ExpressionValue[] = [];
      while (!this.peek(')')) {
        args.push(this.or());
        if (this.peek(',')) this.position += 1;
      }
      this.expect(')');
      return this.call(word, args);
    }
    return property(this.scope.contexts as ExpressionValue, word);
  }

  private call(name: string, args: ExpressionValue[]): ExpressionValue {
    const text = (index: number) => asText(args[index] ?? null);
    switch (name.toLowerCase()) {
      case 'success':
        return this.scope.status === 'success';
      case 'failure':
        return this.scope.status === 'failure';
      case 'cancelled':
        return this.scope.status === 'cancelled';
      case 'always':
        return true;
      case 'contains': {
        const haystack = args[0] ?? null;
        if (Array.isArray(haystack))
          return haystack.some(item => compare(item, args[1] ?? null) === 0);
        return text(0).toLowerCase().includes(text(1).toLowerCase());
      }
      case 'startswith':
        return text(0).toLowerCase().startsWith(text(1).toLowerCase());
      case 'endswith':
        return text(0).toLowerCase().endsWith(text(1).toLowerCase());
      case 'format':
        return text(0).replace(/\{(\d+)\}/g, (_, index) =>
          text(Number(index) + 1),
        );
      case 'join': {
        const items = Array.isArray(args[0]) ? args[0] : [args[0] ?? null];
        return items.map(asText).join(args.length > 1 ? text(1) : ',');
      }
      case 'tojson':
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'fromjson':
        return JSON.parse(text(0)) as ExpressionValue;
      case 'hashfiles':
        return this.scope.hashFiles?.(args.map(asText)) ?? '';
      default:
        throw new ExpressionError(`Unknown function ${name}()`);
    }
  }
}

/** The value of one expression (without `${{ }}`). */
export function evaluate(
  source: string,
  scope: ExpressionScope,
): ExpressionValue {
  return new Parser(tokenize(source), scope, source).parse();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** A string with its `${{ … }}` parts replaced by their values. */
export function interpolate(text: string, scope: ExpressionScope): string {
  return text.replace(TEMPLATE, (_, source: string) =>
    asText(evaluate(source, scope)),
  );
}

/** A `with:`/`env:` value: strings are interpolated, a lone `${{ x }}` keeps x's type. */
export function interpolateValue(
  value: unknown,
  scope: ExpressionScope,
): ExpressionValue {
  if (typeof value !== 'string') return (value ?? null) as ExpressionValue;
  const lone = /^\$\{\{([\s\S]*?)\}\}$/.exec(value.trim());
  if (lone) return evaluate(lone[1], scope);
  return interpolate(value, scope);
}

/**
 * An `if:` condition: written with or without `${{ }}`; without a status function it is
 * implicitly `success() && (…)`, as on GitHub.
 */
export function condition(
  source: string | undefined,
  scope: ExpressionScope,
): boolean {
  if (source === undefined || source.trim() === '')
    return scope.status === 'success';
  const trimmed = source.trim();
  const lone = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const expression = lone ? lone[1] : trimmed;
  const value =
    lone || !trimmed.includes('${{')
      ? evaluate(expression, scope)
      : interpolate(trimmed, scope);
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(
    expression,
  );
  return usesStatus
    ? truthy(value)
    : scope.status === 'success' && truthy(value);
}
