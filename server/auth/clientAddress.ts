import type { IncomingHttpHeaders } from 'node:http';

/**
 * The client's address for throttling and the audit trail. Behind a reverse proxy
 * (TRUST_PROXY), it is the last X-Forwarded-For entry, the one our proxy appended; the
 * earlier ones are whatever the client claimed. Without TRUST_PROXY the header is ignored.
 */
export function clientAddress(headers: IncomingHttpHeaders, remote: string | undefined, trustProxy: boolean): string | null {
  if (trustProxy) {
    const raw = headers['x-forwarded-for'];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    const last = value?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last && last.length <= 64) return last;
  }
  return remote ?? null;
}
