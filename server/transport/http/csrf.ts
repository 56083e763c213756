import type { RequestHandler } from 'express';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../../shared/auth/schemas';
import { AppError } from '../../errors';
import { originAllowed } from '../../auth/origins';
import { bearerToken, type HttpAuthSettings } from '../../auth/credentials';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a write that a browser could send on its own (cookie
 * authentication, or a login form) must come from our origin and carry `X-Requested-With:
 * crisis-cell`, a header no cross-site form can set and no cross-site script may send without
 * a CORS preflight, which this server never grants. The SameSite=Strict cookie is the first
 * line; this is the second. Requests authenticated by a bearer token are not at risk (a browser
 * never adds one by itself) and are exempt.
 */
export function csrfProtection(settings: HttpAuthSettings): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    if (!originAllowed(req.headers, settings.allowedOrigins, settings.trustProxy)) {
      return next(new AppError('FORBIDDEN', 'cross-origin request refused'));
    }
    if (bearerToken(req.headers.authorization) !== null) return next();
    if (req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
      return next(new AppError('FORBIDDEN', `send the header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE} with every write`));
    }
    next();
  };
}
