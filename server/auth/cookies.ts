/** Name of the session cookie: `__Host-` (Secure, path /, no domain: cannot be planted by a sibling host) when served over TLS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-crisis_session' : 'crisis_session';
}

/** Reads one cookie from a Cookie header; duplicates (planted by a sibling host) make it absent rather than ambiguous. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header || header.length > 8192) return null;
  let found: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    if (found !== null) return null;
    found = part.slice(eq + 1).trim();
  }
  return found;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/** HttpOnly (no script can read it), SameSite=Strict (never sent on a cross-site request), Secure behind TLS. */
export function sessionCookie(name: string, value: string, { secure, maxAgeSeconds }: CookieOptions): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(name: string, secure: boolean): string {
  return sessionCookie(name, '', { secure, maxAgeSeconds: 0 });
}
