/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong":
 * they are answered with 503 so clients and load balancers retry instead of giving up.
 */
const unavailableNodeCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, crash, ...).
const unavailableSqlStatePattern = /^(08|57P)/;

const unavailableMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (unavailableNodeCodes.has(code)) return true;
    if (unavailableSqlStatePattern.test(code)) return true;
  }
  if (typeof message === 'string') {
    return unavailableMessages.some((fragment) => message.includes(fragment));
  }
  return false;
}
