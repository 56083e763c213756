import type { Request, RequestHandler, Response } from 'express';
import type { AuthService } from '../authService';
import type { Principal } from '../principal';
import { readCookie } from '../cookies';
import { clientAddress } from '../clientAddress';
import { AppError } from '../../errors';

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

export function requestAddress(req: Request, settings: HttpAuthSettings): string | null {
  return clientAddress(req.headers, req.socket.remoteAddress, settings.trustProxy);
}

/**
 * Establishes who is calling: an API token (Authorization: Bearer) or the session cookie.
 * Refuses with 401 when neither is valid. A request that carries a token is judged by the
 * token alone, so a stale cookie next to it changes nothing.
 */
export function requirePrincipal(auth: AuthService, settings: HttpAuthSettings): RequestHandler {
  return async (req, res, next) => {
    const ip = requestAddress(req, settings);
    const token = bearerToken(req.headers.authorization);
    const cookie = readCookie(req.headers.cookie, settings.cookieName);
    const principal = token !== null ? await auth.fromToken(token, ip) : cookie !== null ? await auth.fromSession(cookie) : null;
    if (!principal) {
      next(new AppError('UNAUTHENTICATED', token !== null ? 'this API token is invalid, expired or revoked' : 'log in first'));
      return;
    }
    res.locals.principal = principal;
    next();
  };
}

/** The caller established by requirePrincipal. */
export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new AppError('UNAUTHENTICATED', 'log in first');
  return p;
}
