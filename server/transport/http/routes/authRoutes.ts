import { Router, Response } from 'express';
import { z } from 'zod';
import {
  InvitationIdSchema,
  InviteAcceptBodySchema,
  InviteCreateBodySchema,
  LoginBodySchema,
  SecretSchema,
  SetupBodySchema,
  TokenCreateBodySchema,
  TotpCodeBodySchema,
  UserUpdateBodySchema,
} from '../../../../shared/auth/schemas';
import type { MeReply } from '../../../../shared/auth/schemas';
import { AppError } from '../../../errors';
import type { AuthServices } from '../../../auth/authServices';
import { requireAdmin } from '../../../auth/guards';
import type { NewSession } from '../../../auth/newAccounts';
import { DisplayNameBodySchema } from '../../../auth/names/displayNames';
import { userView } from '../../../auth/views';
import { clearedSessionCookie, readCookie, sessionCookie } from '../../../auth/cookies';
import type { Principal } from '../../../auth/principal';
import { HttpAuthSettings, principalOf, requestAddress } from '../authenticate';
import { parseBody, parseParam } from '../parse';

function me(p: Principal): MeReply {
  return { user: userView(p.user), via: p.via, expiresAt: p.expiresAt?.toISOString() ?? null };
}

const DescribeInviteSchema = z.object({ token: SecretSchema }).strict();

/** Endpoints reachable without a session: login, logout, first set-up, accepting an invitation. */
export function publicAuthRoutes(auth: Pick<AuthServices, 'setup' | 'login' | 'credentials' | 'invitations'>, settings: HttpAuthSettings): Router {
  const router = Router();
  const startSession = (res: Response, session: NewSession) => {
    const maxAge = (session.expiresAt.getTime() - Date.now()) / 1000;
    res.setHeader('Set-Cookie', sessionCookie(settings.cookieName, session.secret, { secure: settings.cookieSecure, maxAgeSeconds: maxAge }));
    res.setHeader('Cache-Control', 'no-store');
    res.json(me(session.principal));
  };

  router.get('/auth/status', async (_req, res) => {
    res.json({ setupRequired: await auth.setup.setupRequired() });
  });

  router.post('/auth/login', async (req, res) => {
    try {
      startSession(res, await auth.login.login(parseBody(LoginBodySchema, req), requestAddress(req, settings)));
    } catch (err) {
      const retry = err instanceof AppError && err.code === 'RATE_LIMITED' ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      if (retry !== undefined) res.setHeader('Retry-After', String(retry));
      throw err;
    }
  });

  /** Ends the session of the cookie sent, if any, and clears the cookie; always succeeds. */
  router.post('/auth/logout', async (req, res) => {
    const secret = readCookie(req.headers.cookie, settings.cookieName);
    const principal = secret !== null ? await auth.credentials.fromSession(secret) : null;
    if (principal) await auth.login.logout(principal, requestAddress(req, settings));
    res.setHeader('Set-Cookie', clearedSessionCookie(settings.cookieName, settings.cookieSecure));
    res.status(204).end();
  });

  router.post('/auth/setup', async (req, res) => {
    startSession(res, await auth.setup.setup(parseBody(SetupBodySchema, req), requestAddress(req, settings)));
  });

  router.post('/invites/describe', async (req, res) => {
    const { token } = parseBody(DescribeInviteSchema, req);
    res.json(await auth.invitations.describeInvitation(token));
  });

  router.post('/invites/accept', async (req, res) => {
    startSession(res, await auth.invitations.acceptInvitation(parseBody(InviteAcceptBodySchema, req), requestAddress(req, settings)));
  });

  return router;
}

/** Endpoints for an authenticated caller: who am I, API tokens, TOTP, users and invitations (administrators). */
export function accountRoutes(
  auth: Pick<AuthServices, 'tokens' | 'totp' | 'users' | 'invitations'>,
  settings: HttpAuthSettings,
  /** Throws NOT_FOUND for an unknown incident (an invitation into one is refused before it exists). */
  requireIncident: (id: string) => Promise<void> = async () => undefined,
): Router {
  const router = Router();

  router.get('/auth/me', (_req, res) => {
    res.json(me(principalOf(res)));
  });

  /** Renames the caller: `{ displayName }`, unique in the deployment (NAME_TAKEN otherwise). */
  router.put('/auth/me', async (req, res) => {
    const principal = principalOf(res);
    const { displayName } = parseBody(DisplayNameBodySchema, req);
    const user = await auth.users.rename(principal, displayName, requestAddress(req, settings));
    res.json({ ...me(principal), user });
  });

  router.get('/auth/tokens', async (_req, res) => {
    res.json({ tokens: await auth.tokens.listTokens(principalOf(res)) });
  });

  router.post('/auth/tokens', async (req, res) => {
    const principal = principalOf(res);
    const created = await auth.tokens.createToken(principal, parseBody(TokenCreateBodySchema, req), requestAddress(req, settings));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ...created.view, token: created.token });
  });

  router.delete('/auth/tokens/:id', async (req, res) => {
    const principal = principalOf(res);
    await auth.tokens.revokeToken(principal, parseParam(req, 'id'), requestAddress(req, settings));
    res.status(204).end();
  });

  router.post('/auth/totp/setup', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await auth.totp.beginTotp(principalOf(res)));
  });

  router.post('/auth/totp/enable', async (req, res) => {
    const principal = principalOf(res);
    await auth.totp.enableTotp(principal, parseBody(TotpCodeBodySchema, req).code, requestAddress(req, settings));
    res.status(204).end();
  });

  router.post('/auth/totp/disable', async (req, res) => {
    const principal = principalOf(res);
    await auth.totp.disableTotp(principal, parseBody(TotpCodeBodySchema, req).code, requestAddress(req, settings));
    res.status(204).end();
  });

  router.get('/users', async (_req, res) => {
    res.json({ users: await auth.users.listUsers(principalOf(res)) });
  });

  // Administrators only: checked before the body is read, so nobody else learns what it should hold.
  router.patch('/users/:id', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    requireAdmin(principal);
    res.json(await auth.users.updateUser(principal, id, parseBody(UserUpdateBodySchema, req), requestAddress(req, settings)));
  });

  router.post('/invites', async (req, res) => {
    const principal = principalOf(res);
    requireAdmin(principal);
    const input = parseBody(InviteCreateBodySchema, req);
    if (input.incident) await requireIncident(input.incident.id);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await auth.invitations.createInvitation(principal, input, requestAddress(req, settings)));
  });

  /** The pending invitations (administrators): who, into which incident with which role, until when. */
  router.get('/invitations', async (_req, res) => {
    res.json({ invitations: await auth.invitations.listPending(principalOf(res)) });
  });

  /** Revokes a pending invitation: its link stops working. */
  router.delete('/invitations/:id', async (req, res) => {
    const principal = principalOf(res);
    requireAdmin(principal);
    await auth.invitations.revoke(principal, parseParam(req, 'id', InvitationIdSchema), requestAddress(req, settings));
    res.status(204).end();
  });

  return router;
}
