import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header GitHub signs deliveries in: `sha256=` and the HMAC-SHA256 of the body, hex. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex>` for a body, as GitHub computes it with the hook's secret. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether `signature` is the body's signature under one of the secrets. Compared in constant
 * time, so the answer's timing says nothing about how much of a forged signature was right.
 */
export function signedByOneOf(
  secrets: string[],
  body: Buffer,
  signature: string,
): boolean {
  if (!/^sha256=[0-9a-f]{64}$/i.test(signature)) return false;
  const given = Buffer.from(signature.toLowerCase());
  return secrets.some(secret => {
    const expected = Buffer.from(signBody(secret, body));
    return timingSafeEqual(expected, given);
  });
}
