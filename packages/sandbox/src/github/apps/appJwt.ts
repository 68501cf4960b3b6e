import { KeyObject, verify } from 'node:crypto';
import { GitHubAppRecord } from '../../world/appRecords';

/*
 * A GitHub App authenticates as itself with a JSON Web Token it signs with its private key
 * (https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app):
 * RS256, `iss` the App's id (or its client id), `iat` no later than now (GitHub allows for some
 * clock drift), `exp` in the future and at most ten minutes after `iat`. GitHub answers anything
 * else 401 with one of the messages below, which clients match on (@octokit/auth-app retries the
 * two time claims' errors with the server's Date).
 */

export const JWT_MESSAGES = {
  undecodable: 'A JSON web token could not be decoded',
  unknownIssuer: 'Integration not found',
  expired:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooLong: "'Expiration time' claim ('exp') is too far in the future",
  issuedAt:
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
} as const;

/** The longest an App JWT may live, from `iat` to `exp`. */
export const MAX_JWT_LIFETIME_SECONDS = 10 * 60;
/** How far ahead of the server's clock a JWT's `iat` may be. */
export const CLOCK_DRIFT_SECONDS = 60;

/** Whether a presented credential is a JWT (three base64url parts, a JSON header) rather than a token. */
export function isJwtShaped(credential: string): boolean {
  const parts = credential.split('.');
  return (
    parts.length === 3 &&
    parts[0].startsWith('eyJ') &&
    parts.every(part => /^[A-Za-z0-9_-]*$/.test(part))
  );
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

export type JwtVerification =
  | { app: GitHubAppRecord }
  | { error: (typeof JWT_MESSAGES)[keyof typeof JWT_MESSAGES] };

/**
 * The App `jwt` authenticates, or why GitHub would refuse it. `apps` are the Apps there are;
 * `publicKey` gives an App's public key.
 */
export function verifyAppJwt(
  jwt: string,
  apps: readonly GitHubAppRecord[],
  publicKey: (appId: number) => KeyObject,
  now: number,
): JwtVerification {
  const [headerPart, payloadPart, signaturePart] = jwt.split('.');
  const header = decodePart(headerPart ?? '');
  const claims = decodePart(payloadPart ?? '');
  if (!header || !claims || header.alg !== 'RS256' || !signaturePart)
    return { error: JWT_MESSAGES.undecodable };
  const issuer = claims.iss;
  const app =
    typeof issuer === 'number' || typeof issuer === 'string'
      ? apps.find(
          candidate =>
            String(candidate.id) === String(issuer) ||
            candidate.clientId === issuer,
        )
      : undefined;
  if (!app) return { error: JWT_MESSAGES.unknownIssuer };
  let signed: boolean;
  try {
    signed = verify(
      'sha256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      publicKey(app.id),
      Buffer.from(signaturePart, 'base64url'),
    );
  } catch {
    signed = false;
  }
  if (!signed) return { error: JWT_MESSAGES.undecodable };
  const seconds = Math.floor(now / 1000);
  const { iat, exp } = claims;
  if (!Number.isInteger(iat) || (iat as number) > seconds + CLOCK_DRIFT_SECONDS)
    return { error: JWT_MESSAGES.issuedAt };
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= seconds)
    return { error: JWT_MESSAGES.expired };
  if (
    exp - (iat as number) > MAX_JWT_LIFETIME_SECONDS ||
    exp > seconds + MAX_JWT_LIFETIME_SECONDS + CLOCK_DRIFT_SECONDS
  )
    return { error: JWT_MESSAGES.tooLong };
  return { app };
}
