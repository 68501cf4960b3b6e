import { createSign } from 'node:crypto';

/*
 * Signs a GitHub App JWT the way an App does (RS256 over base64url header and claims), with
 * whatever claims a test wants — valid ones like @octokit/auth-app's, or expired, forged,
 * too long-lived ones. Used by the tests only.
 */

export interface AppJwtClaims {
  iss: number | string;
  /** Seconds since the epoch; default: 30 s ago, as @octokit/auth-app sets it. */
  iat?: number;
  /** Seconds since the epoch; default: `iat` + 10 minutes. */
  exp?: number;
}

export function signAppJwt(privateKeyPem: string, claims: AppJwtClaims) {
  const iat = claims.iat ?? Math.floor(Date.now() / 1000) - 30;
  const payload = { iat, exp: claims.exp ?? iat + 600, iss: claims.iss };
  const encode = (value: unknown) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(
    payload,
  )}`;
  const signature = createSign('RSA-SHA256')
    .update(signingInput)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${signingInput}.${signature}`;
}
