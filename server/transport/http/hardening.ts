import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The usual security headers (helmet), with a Content-Security-Policy for a client that loads
 * everything from this origin: no inline script or style, no eval, no framing, no plugins. The
 * WebSocket of socket.io is same-origin, which `connect-src 'self'` covers. HSTS only when the
 * server is reached over TLS (COOKIE_SECURE), so a plain-HTTP test install is not pinned.
 */
export function securityHeadersWithHelmet(tls: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
  });
}
