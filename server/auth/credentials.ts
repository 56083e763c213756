/** Where credentials travel and how they are read, the same for HTTP requests and socket handshakes. */
export interface HttpAuthSettings {
  cookieName: string;
  cookieSecure: boolean;
  trustProxy: boolean;
  allowedOrigins: readonly string[];
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

/** Secrets are base64url of 32 bytes; anything else is refused before touching the database. */
export function isPlausibleSecret(s: string): boolean {
  return s.length >= 20 && s.length <= 100 && /^[A-Za-z0-9_-]+$/.test(s);
}
