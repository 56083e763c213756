import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy the browser client is built for: everything from this origin
 * only, no inline script or style ('unsafe-inline' is never needed), no eval, no framing, no
 * plugin. `connect-src 'self'` covers the same-origin WebSocket of socket.io in current
 * browsers; the explicit ws:/wss: forms of this host are added for older ones.
 */
export function contentSecurityPolicy(host?: string): string {
  const sockets = host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Express middleware: a strict CSP and the usual hardening headers on every response. */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    next();
  };
}
