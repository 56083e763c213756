/**
 * Identifiers: 16 characters of Crockford-style base32 from the platform's CSPRNG
 * (80 bits), short enough for URLs and paper, long enough never to collide in a crisis.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export const ID_PATTERN = /^[0-9a-z]{8,40}$/;
