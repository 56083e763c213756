import { Router, Response } from 'express';
import { z } from 'zod';
import { IdSchema } from '../../../shared/model/common';
import { SecretSchema, TotpCodeBodySchema } from '../../../shared/auth/schemas';
import type { MeReply } from '../../../shared/auth/schemas';
import { AppError, badInput } from '../../errors';
import type { AuthService, NewSession } from '../authService';
import { userView } from '../authService';
import { clearedSessionCookie, readCookie, sessionCookie } from '../cookies';
import type { Principal } from '../principal';
import { HttpAuthSettings, principalOf, requestAddress } from './authenticate';

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badInput(result.error);
  return result.data;
}

function me(p: Principal): MeReply {
  return { user: userView(p.user), via: p.via, expiresAt: p.expiresAt?.toISOString() ?? null };
}

/** Endpoints reachable without a session: login, logout, first set-up, accepting an invitation. */
export function publicAuthRoutes(auth: AuthService, settings: HttpAuthSettings): Router {
  const router = Router();
  const startSession = (res: Response, session: NewSession) => {
    const maxAge = (session.expiresAt.getTime() - Date.now()) / 1000;
    res.setHeader('Set-Cookie', sessionCookie(settings.cookieName, session.secret, { secure: settings.cookieSecure, maxAgeSeconds: maxAge }));
    res.setHeader('Cache-Control', 'no-store');
    res.json(me(session.principal));
  };

  router.get('/auth/status', async (_req, res) => {
    res.json({ setupRequired: (await auth.accounts.countUsers()) === 0 });
  });

  router.post('/auth/login', async (req, res) => {
    try {
      startSession(res, await auth.login(req.body, requestAddress(req, settings)));
    } catch (err) {
      const retry = err instanceof AppError && err.code === 'RATE_LIMITED' ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      if (retry !== undefined) res.setHeader('Retry-After', String(retry));
      throw err;
    }
  });

  /** Ends the session of the cookie sent, if any, and clears the cookie; always succeeds. */
  router.post('/auth/logout', async (req, res) => {
    const secret = readCookie(req.headers.cookie, settings.cookieName);
    const principal = secret !== null ? await auth.fromSession(secret) : null;
    if (principal) await auth.logout(principal, requestAddress(req, settings));
    res.setHeader('Set-Cookie', clearedSessionCookie(settings.cookieName, settings.cookieSecure));
    res.status(204).end();
  });

  router.post('/auth/setup', async (req, res) => {
    startSession(res, await auth.setup(req.body, requestAddress(req, settings)));
  });

  router.post('/invites/describe', async (req, res) => {
    const { token } = parse(z.object({ token: SecretSchema }).strict(), req.body);
    res.json(await auth.describeInvitation(token));
  });

  router.post('/invites/accept', async (req, res) => {
    startSession(res, await auth.acceptInvitation(req.body, requestAddress(req, settings)));
  });

  return router;
}

/** Endpoints for an authenticated caller: who am I, API tokens, TOTP, users and invitations (administrators). */
export function accountRoutes(auth: AuthService, settings: HttpAuthSettings): Router {
  const router = Router();

  router.get('/auth/me', (_req, res) => {
    res.json(me(principalOf(res)));
  });

  router.get('/auth/tokens', async (_req, res) => {
    res.json({ tokens: await auth.listTokens(principalOf(res)) });
  });

  router.post('/auth/tokens', async (req, res) => {
    const created = await auth.createToken(principalOf(res), req.body, requestAddress(req, settings));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ...created.view, token: created.token });
  });

  router.delete('/auth/tokens/:id', async (req, res) => {
    await auth.revokeToken(principalOf(res), parse(IdSchema, req.params.id), requestAddress(req, settings));
    res.status(204).end();
  });

  router.post('/auth/totp/setup', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await auth.beginTotp(principalOf(res)));
  });

  router.post('/auth/totp/enable', async (req, res) => {
    await auth.enableTotp(principalOf(res), parse(TotpCodeBodySchema, req.body).code, requestAddress(req, settings));
    res.status(204).end();
  });

  router.post('/auth/totp/disable', async (req, res) => {
    await auth.disableTotp(principalOf(res), parse(TotpCodeBodySchema, req.body).code, requestAddress(req, settings));
    res.status(204).end();
  });

  router.get('/users', async (_req, res) => {
    res.json({ users: await auth.listUsers(principalOf(res)) });
  });

  router.patch('/users/:id', async (req, res) => {
    res.json(await auth.updateUser(principalOf(res), parse(IdSchema, req.params.id), req.body, requestAddress(req, settings)));
  });

  router.post('/invites', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await auth.createInvitation(principalOf(res), req.body, requestAddress(req, settings)));
  });

  return router;
}
