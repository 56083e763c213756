/**
 * Identifiers: 16 characters of Crockford-style base32 from the platform's CSPRNG
 * (80 bits), short enough for URLs and paper, long enough never to collide in a crisis.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Random bytes drawn 4 KB at a time: one call to the CSPRNG costs about 7 µs in Node whatever
 * its size, as much as the rest of writing an entry. Ids are not secrets (every member sees
 * them; access is checked per incident), so bytes kept for the next ids give nothing away.
 */
const POOL_BYTES = 4096;
const ID_BYTES = 16;
let pool = new Uint8Array(0);
let next = 0;

export function newId(): string {
  if (next + ID_BYTES > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    next = 0;
  }
  let out = '';
  for (let i = next; i < next + ID_BYTES; i++) out += ALPHABET[pool[i]! & 31];
  next += ID_BYTES;
  return out;
}

export const ID_PATTERN = /^[0-9a-z]{8,40}$/;
