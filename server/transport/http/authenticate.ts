import type { Request, RequestHandler, Response } from 'express';
import type { CredentialService } from '../../auth/credentialService';
import type { Principal } from '../../auth/principal';
import { readCookie } from '../../auth/cookies';
import { clientAddress } from '../../auth/clientAddress';
import { bearerToken, type HttpAuthSettings } from '../../auth/credentials';
import { requireAdmin } from '../../auth/guards';
import { AppError } from '../../errors';

export type { HttpAuthSettings } from '../../auth/credentials';

export function requestAddress(req: Request, settings: HttpAuthSettings): string | null {
  return clientAddress(req.headers, req.socket.remoteAddress, settings.trustProxy);
}

/**
 * Establishes who is calling: an API token (Authorization: Bearer) or the session cookie.
 * Refuses with 401 when neither is valid. A request that carries a token is judged by the
 * token alone, so a stale cookie next to it changes nothing.
 */
export function requirePrincipal(auth: Pick<CredentialService, 'fromToken' | 'fromSession'>, settings: HttpAuthSettings): RequestHandler {
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

/** After requirePrincipal: administrators only (/metrics). */
export const adminOnly: RequestHandler = (_req, res, next) => {
  requireAdmin(principalOf(res));
  next();
};

/** Answers under /api are never cached: they carry one user's data. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
