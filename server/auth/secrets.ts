import { createHash, randomBytes } from 'node:crypto';

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
