import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets handed to people and scripts (session cookies, API tokens, invitation and set-up
 * links): 32 bytes from the CSPRNG, base64url. The database keeps only their SHA-256: with
 * 256 bits of entropy a fast hash is enough, and a stolen database yields no usable secret.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings of possibly different lengths. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
