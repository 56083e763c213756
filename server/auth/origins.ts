import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request's Origin may talk to us: the server's own origin (same host as the Host
 * header, or X-Forwarded-Host behind a trusted proxy) or one listed in ALLOWED_ORIGINS. A
 * request without Origin is not from a browser page (browsers always send it on WebSocket
 * handshakes and on cross-origin writes), so there is no page to hijack it from.
 */
export function originAllowed(headers: IncomingHttpHeaders, allowed: readonly string[], trustProxy: boolean): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.some((a) => safeOrigin(a) === parsed.origin)) return true;
  const forwarded = trustProxy ? firstValue(headers['x-forwarded-host']) : undefined;
  const host = forwarded ?? headers.host;
  return host !== undefined && parsed.host === host.toLowerCase();
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function firstValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.split(',')[0]?.trim() || undefined;
}
