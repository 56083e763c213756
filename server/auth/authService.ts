import { z } from 'zod';
import { newId } from '../../shared/model/ids';
import {
  InviteAcceptBodySchema,
  InviteCreateBodySchema,
  LoginBodySchema,
  SetupBodySchema,
  TokenCreateBodySchema,
  TokenView,
  UserUpdateBodySchema,
  UserView,
  type PersonView,
} from '../../shared/auth/schemas';
import { AppError, badInput } from '../errors';
import type { Logger } from '../logger';
import type { AuditLog } from '../audit/auditLog';
import { AccountStore, DuplicateAccountError, DuplicateNameError, TokenRecord, UserRecord } from './accountStore';
import { DisplayNameBodySchema, nameTaken, requireFreeName } from './names/displayNames';
import { hashPassword, verifyPassword } from './passwords';
import { hashSecret, newSecret } from './secrets';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp';
import { LoginThrottle } from './loginThrottle';
import { TotpSecretBox } from './totpSecrets';
import { principalUser, type Principal, type PrincipalUser } from './principal';
import type { Revocations } from './revocations';
import type { SessionEndCode } from '../../shared/protocol/errors';

export interface AuthSettings {
  adminEmail?: string;
  adminPassword?: string;
  /** ADMIN_NAME: the first administrator's display name. */
  adminName?: string;
  /** Base of the links handed out (set-up, invitations). */
  publicUrl: string;
  sessionTtlHours: number;
  inviteTtlHours: number;
  setupLinkMinutes: number;
}

/** What the service counts for /metrics. */
export interface AuthMetrics {
  /** Every password hash verified at login (argon2: the expensive step the throttle rations). */
  passwordChecks: { inc(): void };
}

/** The user list as a caller may see it: every account for an administrator, the people of their incidents otherwise. */
export type UserListEntry = UserView | PersonView;

export interface NewSession {
  principal: Principal;
  /** The cookie value: shown to the browser once, never stored. */
  secret: string;
  expiresAt: Date;
}

/** A token's usage is written (last_used_at, audit) at most this often, not on every request. */
const TOKEN_TOUCH_MS = 60_000;

/**
 * Accounts and credentials: the first administrator, invitations, password logins with
 * throttling and optional TOTP, sessions, API tokens. Every decision is made here; the HTTP
 * and socket layers only carry credentials in and errors out.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    readonly accounts: AccountStore,
    private readonly audit: AuditLog,
    private readonly revocations: Revocations,
    private readonly settings: AuthSettings,
    private readonly logger: Logger,
    private readonly totpBox: TotpSecretBox,
    private readonly metrics: AuthMetrics = { passwordChecks: { inc: () => undefined } },
  ) {
    this.throttle = new LoginThrottle(accounts);
  }

  /**
   * TOTP secrets still in clear (written by a version before encryption) are sealed at start.
   * Another node may do the same at the same moment: both write a sealed value of the same
   * secret, either works. Secrets this key cannot open are reported, not touched.
   */
  async sealClearTotpSecrets(): Promise<void> {
    let sealed = 0;
    let unreadable = 0;
    for (const user of await this.accounts.listUsers()) {
      if (user.totpSecret === null) continue;
      if (!TotpSecretBox.isSealed(user.totpSecret)) {
        await this.accounts.updateUser(user.id, { totpSecret: this.totpBox.seal(user.totpSecret, user.id) });
        sealed += 1;
      } else if (this.openTotp(user) === null) {
        unreadable += 1;
      }
    }
    if (sealed > 0) this.logger.info({ count: sealed }, 'TOTP secrets found in clear were encrypted');
    if (unreadable > 0) this.logger.error({ count: unreadable }, 'TOTP secrets sealed with another key (TOTP_KEY_FILE differs between nodes?): those users cannot pass TOTP');
  }

  /** The clear TOTP secret of an account, or null (none, or sealed with another key). */
  private openTotp(user: Pick<UserRecord, 'id' | 'totpSecret'>): string | null {
    if (user.totpSecret === null) return null;
    try {
      return this.totpBox.open(user.totpSecret, user.id);
    } catch {
      return null;
    }
  }

  /**
   * First start: with no account at all, creates the administrator from ADMIN_EMAIL and
   * ADMIN_PASSWORD, or else prints a one-time set-up link valid SETUP_LINK_MINUTES.
   * Returns that link (tests and `main` may show it), or null.
   */
  async bootstrap(): Promise<string | null> {
    await this.sealClearTotpSecrets();
    if ((await this.accounts.countUsers()) > 0) return null;
    const now = new Date();
    if (this.settings.adminEmail && this.settings.adminPassword) {
      const user = await this.newUser({ email: this.settings.adminEmail, displayName: this.settings.adminName ?? 'Administrator', password: this.settings.adminPassword, isAdmin: true }, now).catch((err: unknown) => {
        // Another node may have created it at the same moment.
        if (err instanceof AppError && err.code === 'CONFLICT') return null;
        throw err;
      });
      if (user) {
        this.audit.record({ actor: user.id, action: 'setup.admin', detail: { email: user.email, from: 'environment' } });
        this.logger.info({ email: user.email }, 'created the administrator account from ADMIN_EMAIL');
      }
      return null;
    }
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + this.settings.setupLinkMinutes * 60_000);
    await this.accounts.createInvitation({ hash: hashSecret(secret), kind: 'setup', email: null, displayName: null, isAdmin: true, createdBy: null, createdAt: now, expiresAt, usedAt: null });
    const url = `${this.settings.publicUrl}/setup#token=${secret}`;
    this.audit.record({ actor: null, action: 'setup.link', detail: { expiresAt: expiresAt.toISOString() } });
    // The one place a secret is logged, on purpose: the operator starting the server is who must see it.
    this.logger.warn({ setupUrl: url, expiresAt: expiresAt.toISOString() }, 'no account yet: open this one-time link to create the administrator');
    return url;
  }

  async setup(body: unknown, ip: string | null): Promise<NewSession> {
    const input = parse(SetupBodySchema, body);
    const now = new Date();
    const hash = hashSecret(input.token);
    const invitation = await this.accounts.getInvitation(hash);
    if (!invitation || invitation.kind !== 'setup' || (await this.accounts.countUsers()) > 0 || !(await this.accounts.consumeInvitation(hash, now))) {
      this.audit.record({ actor: null, action: 'invite.refused', ip, detail: { kind: 'setup' } });
      throw new AppError('UNAUTHENTICATED', 'this set-up link is invalid, used or expired');
    }
    const user = await this.newUser({ email: input.email, displayName: input.displayName, password: input.password, isAdmin: true }, now);
    this.audit.record({ actor: user.id, action: 'setup.admin', ip, detail: { email: user.email, from: 'setup link' } });
    return this.openSession(user, ip, now);
  }

  async login(body: unknown, ip: string | null): Promise<NewSession> {
    const input = parse(LoginBodySchema, body);
    const now = new Date();
    const accountKey = LoginThrottle.key('account', input.email);
    const addressKey = LoginThrottle.key('address', ip ?? 'unknown');
    // Reserved before the password check, atomically: concurrent guesses count each other.
    const throttled = (waitMs: number) => {
      this.audit.record({ actor: null, action: 'login.throttled', ip, detail: { email: input.email } });
      return new AppError('RATE_LIMITED', 'too many failed logins: try again later', { retryAfterSeconds: Math.ceil(waitMs / 1000) });
    };
    const account = await this.throttle.reserve('account', accountKey, now);
    if (!account.ok) throw throttled(account.waitMs);
    const address = await this.throttle.reserve('address', addressKey, now);
    if (!address.ok) {
      await this.throttle.release('account', accountKey);
      throw throttled(address.waitMs);
    }
    let user: UserRecord | null;
    let passwordOk: boolean;
    try {
      user = await this.accounts.getUserByEmail(input.email);
      this.metrics.passwordChecks.inc();
      passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
    } catch (err) {
      // No verdict on the password (the database away): the attempt must not count as a failure,
      // or an outage would end in lockouts that outlast it.
      await Promise.allSettled([this.throttle.release('account', accountKey), this.throttle.release('address', addressKey)]);
      throw err;
    }
    // The reservations stand as the failure.
    const failed = (reason: string) => this.audit.record({ actor: user?.id ?? null, action: 'login.failed', ip, detail: { email: input.email, reason } });
    if (!user || !passwordOk || user.disabled) {
      failed(!user ? 'unknown account' : !passwordOk ? 'wrong password' : 'account disabled');
      throw new AppError('UNAUTHENTICATED', 'wrong e-mail or password');
    }
    if (user.totpEnabled && user.totpSecret) {
      if (input.totp === undefined) {
        // The right password, the code still to come: no failure.
        await this.throttle.release('account', accountKey);
        await this.throttle.release('address', addressKey);
        throw new AppError('TOTP_REQUIRED', 'enter the code from your authenticator app');
      }
      const secret = this.openTotp(user);
      const step = secret === null ? null : matchTotp(secret, input.totp, now, user.totpLastStep);
      if (step === null) {
        failed(secret === null ? 'TOTP secret unreadable with this key' : 'wrong TOTP code');
        throw new AppError('TOTP_REQUIRED', 'wrong or already used code');
      }
      await this.accounts.updateUser(user.id, { totpLastStep: step });
    }
    await this.throttle.clear(accountKey);
    await this.throttle.release('address', addressKey);
    const session = await this.openSession(user, ip, now);
    this.audit.record({ actor: user.id, action: 'login.ok', ip, detail: { totp: user.totpEnabled } });
    return session;
  }

  async logout(principal: Principal, ip: string | null): Promise<void> {
    if (principal.via !== 'session') throw new AppError('BAD_REQUEST', 'an API token is revoked, not logged out');
    await this.accounts.deleteSession(principal.credential);
    this.audit.record({ actor: principal.user.id, action: 'logout', ip });
    this.revocations.emit({ kind: 'credential', credential: principal.credential, code: 'LOGGED_OUT', reason: 'logged out' });
  }

  /** The principal behind a session cookie value, or null (unknown, expired, disabled user). */
  async fromSession(secret: string): Promise<Principal | null> {
    if (!isPlausibleSecret(secret)) return null;
    const session = await this.accounts.getSession(hashSecret(secret));
    if (!session) return null;
    if (session.expiresAt.getTime() <= Date.now()) {
      await this.accounts.deleteSession(session.idHash);
      return null;
    }
    const user = await this.accounts.getUser(session.userId);
    if (!user || user.disabled) return null;
    return { user: principalUser(user), via: 'session', credential: session.idHash, expiresAt: session.expiresAt };
  }

  /** The principal behind an API token, or null (unknown, revoked, expired, disabled user). */
  async fromToken(secret: string, ip: string | null): Promise<Principal | null> {
    if (!isPlausibleSecret(secret)) return null;
    const token = await this.accounts.getTokenByHash(hashSecret(secret));
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) return null;
    const user = await this.accounts.getUser(token.userId);
    if (!user || user.disabled) return null;
    const now = new Date();
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= TOKEN_TOUCH_MS) {
      await this.accounts.touchToken(token.id, now);
      this.audit.record({ actor: user.id, action: 'token.use', ip, detail: { tokenId: token.id, name: token.name } });
    }
    return { user: principalUser(user), via: 'token', credential: token.id, expiresAt: token.expiresAt };
  }

  /** Whether a principal established earlier still holds (used by the periodic socket re-check). */
  async stillValid(principal: Principal): Promise<boolean> {
    return (await this.whyEnded(principal)) === null;
  }

  /** Why the principal's access ended (what an open socket is told), or null while it holds. */
  async whyEnded(principal: Principal): Promise<SessionEndCode | null> {
    if (principal.via === 'session') {
      const session = await this.accounts.getSession(principal.credential);
      if (!session || session.expiresAt.getTime() <= Date.now()) return 'SESSION_EXPIRED';
    } else {
      const token = await this.accounts.getToken(principal.credential);
      if (!token || token.revokedAt) return 'TOKEN_REVOKED';
      if (token.expiresAt && token.expiresAt.getTime() <= Date.now()) return 'SESSION_EXPIRED';
    }
    const user = await this.accounts.getUser(principal.user.id);
    return !user || user.disabled ? 'ACCOUNT_DISABLED' : null;
  }


  async createToken(principal: Principal, body: unknown, ip: string | null): Promise<{ token: string; view: TokenView }> {
    const input = parse(TokenCreateBodySchema, body);
    const now = new Date();
    const secret = newSecret();
    const record: TokenRecord = {
      id: newId(),
      userId: principal.user.id,
      name: input.name,
      hash: hashSecret(secret),
      createdAt: now,
      expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.accounts.createToken(record);
    this.audit.record({ actor: principal.user.id, action: 'token.create', ip, detail: { tokenId: record.id, name: record.name } });
    return { token: secret, view: tokenView(record) };
  }

  async listTokens(principal: Principal): Promise<TokenView[]> {
    return (await this.accounts.listTokens(principal.user.id)).map(tokenView);
  }

  /** Revokes one of the caller's tokens (an administrator may revoke anyone's). */
  async revokeToken(principal: Principal, id: string, ip: string | null): Promise<void> {
    const token = await this.accounts.getToken(id);
    if (!token || (token.userId !== principal.user.id && !principal.user.isAdmin)) throw new AppError('NOT_FOUND', `no token ${id}`);
    await this.accounts.revokeToken(id, new Date());
    this.audit.record({ actor: principal.user.id, action: 'token.revoke', ip, detail: { tokenId: id, owner: token.userId } });
    this.revocations.emit({ kind: 'credential', credential: id, code: 'TOKEN_REVOKED', reason: 'token revoked' });
  }

  async createInvitation(principal: Principal, body: unknown, ip: string | null): Promise<{ url: string; token: string; expiresAt: string }> {
    requireAdmin(principal);
    const input = parse(InviteCreateBodySchema, body);
    if (await this.accounts.getUserByEmail(input.email)) throw new AppError('CONFLICT', `an account with ${input.email} exists`);
    if (input.displayName !== undefined) await requireFreeName(this.accounts, input.displayName, null);
    const now = new Date();
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + (input.expiresInHours ?? this.settings.inviteTtlHours) * 3_600_000);
    await this.accounts.createInvitation({
      hash: hashSecret(secret),
      kind: 'invite',
      email: input.email,
      displayName: input.displayName ?? null,
      isAdmin: input.admin,
      createdBy: principal.user.id,
      createdAt: now,
      expiresAt,
      usedAt: null,
    });
    this.audit.record({ actor: principal.user.id, action: 'invite.create', ip, detail: { email: input.email, admin: input.admin, expiresAt: expiresAt.toISOString() } });
    return { url: `${this.settings.publicUrl}/invite#token=${secret}`, token: secret, expiresAt: expiresAt.toISOString() };
  }

  /** What the invitation page shows before the person chooses a password. */
  async describeInvitation(secret: string): Promise<{ email: string; displayName: string | null; expiresAt: string }> {
    const invitation = isPlausibleSecret(secret) ? await this.accounts.getInvitation(hashSecret(secret)) : null;
    if (!invitation || invitation.kind !== 'invite' || invitation.usedAt || invitation.expiresAt.getTime() <= Date.now() || !invitation.email) {
      throw new AppError('NOT_FOUND', 'this invitation is invalid, used or expired');
    }
    return { email: invitation.email, displayName: invitation.displayName, expiresAt: invitation.expiresAt.toISOString() };
  }

  async acceptInvitation(body: unknown, ip: string | null): Promise<NewSession> {
    const input = parse(InviteAcceptBodySchema, body);
    const now = new Date();
    const hash = hashSecret(input.token);
    const invitation = await this.accounts.getInvitation(hash);
    const refuse = () => {
      this.audit.record({ actor: null, action: 'invite.refused', ip, detail: { kind: 'invite' } });
      return new AppError('UNAUTHENTICATED', 'this invitation is invalid, used or expired');
    };
    if (!invitation || invitation.kind !== 'invite' || !invitation.email) throw refuse();
    if (await this.accounts.getUserByEmail(invitation.email)) throw new AppError('CONFLICT', `an account with ${invitation.email} exists`);
    // The administrator names people: the invitee may choose only when the invitation names nobody.
    if (invitation.displayName !== null && input.displayName !== undefined && input.displayName !== invitation.displayName) {
      throw new AppError('FORBIDDEN', 'your name is set by the administrator who invited you: change it once your account exists');
    }
    const displayName = invitation.displayName ?? input.displayName ?? invitation.email;
    // Checked before the link is used up, so a taken name leaves the invitation valid (the unique index still decides a race).
    await requireFreeName(this.accounts, displayName, null);
    if (!(await this.accounts.consumeInvitation(hash, now))) throw refuse();
    const user = await this.newUser({ email: invitation.email, displayName, password: input.password, isAdmin: invitation.isAdmin }, now);
    this.audit.record({ actor: user.id, action: 'invite.accept', ip, detail: { email: user.email, invitedBy: invitation.createdBy } });
    return this.openSession(user, ip, now);
  }

  async beginTotp(principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    requireSession(principal);
    if (principal.user.totpEnabled) throw new AppError('CONFLICT', 'TOTP is already enabled; disable it first');
    const secret = newTotpSecret();
    await this.accounts.updateUser(principal.user.id, { totpSecret: this.totpBox.seal(secret, principal.user.id), totpEnabled: false });
    return { secret, otpauthUrl: otpauthUrl(secret, principal.user.email) };
  }

  async enableTotp(principal: Principal, code: string, ip: string | null): Promise<void> {
    requireSession(principal);
    const user = await this.requireUser(principal.user.id);
    const secret = this.openTotp(user);
    if (!secret || user.totpEnabled) throw new AppError('CONFLICT', 'start TOTP enrolment first');
    const step = matchTotp(secret, code, new Date(), user.totpLastStep);
    if (step === null) throw new AppError('TOTP_REQUIRED', 'wrong code: check the phone clock');
    await this.accounts.updateUser(user.id, { totpEnabled: true, totpLastStep: step });
    this.audit.record({ actor: user.id, action: 'totp.enable', ip });
  }

  async disableTotp(principal: Principal, code: string, ip: string | null): Promise<void> {
    requireSession(principal);
    const user = await this.requireUser(principal.user.id);
    const secret = this.openTotp(user);
    if (!user.totpEnabled || !secret) throw new AppError('CONFLICT', 'TOTP is not enabled');
    const step = matchTotp(secret, code, new Date(), user.totpLastStep);
    if (step === null) throw new AppError('TOTP_REQUIRED', 'wrong or already used code');
    await this.accounts.updateUser(user.id, { totpEnabled: false, totpSecret: null, totpLastStep: step });
    this.audit.record({ actor: user.id, action: 'totp.disable', ip });
  }

  /** A user renames themselves (`PUT /api/auth/me`), under the same rule: no name another account holds. */
  async rename(principal: Principal, body: unknown, ip: string | null): Promise<UserView> {
    const { displayName } = parse(DisplayNameBodySchema, body);
    const before = await this.requireUser(principal.user.id);
    await requireFreeName(this.accounts, displayName, before.id);
    try {
      await this.accounts.updateUser(before.id, { displayName });
    } catch (err) {
      if (err instanceof DuplicateNameError) throw nameTaken(displayName);
      throw err;
    }
    this.audit.record({ actor: before.id, action: 'user.rename', ip, detail: { from: before.displayName, to: displayName } });
    return userView(await this.requireUser(before.id));
  }

  /**
   * Every account with its e-mail and flags, for administrators. Anyone else gets the people
   * they work with: the members of their own incidents (themself included), by id and name only.
   */
  async listUsers(principal: Principal): Promise<UserListEntry[]> {
    if (principal.user.isAdmin) return (await this.accounts.listUsers()).map(userView);
    const ids = new Set<string>([principal.user.id]);
    for (const m of await this.accounts.listMemberships(principal.user.id)) {
      for (const other of await this.accounts.listMembers(m.incidentId)) ids.add(other.userId);
    }
    const users = await Promise.all([...ids].map((id) => this.accounts.getUser(id)));
    return users
      .filter((u): u is UserRecord => u !== null)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map((u) => ({ id: u.id, displayName: u.displayName }));
  }

  /** Administrator: disable or re-enable an account, grant or withdraw administration. Disabling ends its sessions and sockets. */
  async updateUser(principal: Principal, id: string, body: unknown, ip: string | null): Promise<UserView> {
    requireAdmin(principal);
    const patch = parse(UserUpdateBodySchema, body);
    const user = await this.requireUser(id);
    if (user.id === principal.user.id && (patch.disabled === true || patch.admin === false)) throw new AppError('BAD_REQUEST', 'an administrator cannot lock themselves out');
    await this.accounts.updateUser(id, { disabled: patch.disabled, isAdmin: patch.admin });
    if (patch.disabled) {
      // For good: re-enabling the account later must not revive what it had (a stolen token
      // among them). The person logs in again and makes new tokens.
      await this.accounts.deleteUserSessions(id);
      const now = new Date();
      for (const token of await this.accounts.listTokens(id)) if (!token.revokedAt) await this.accounts.revokeToken(token.id, now);
      this.revocations.emit({ kind: 'user', userId: id, code: 'ACCOUNT_DISABLED', reason: 'account disabled' });
    }
    this.audit.record({ actor: principal.user.id, action: 'user.update', ip, detail: { userId: id, ...patch } });
    return userView(await this.requireUser(id));
  }

  async requireUser(id: string): Promise<UserRecord> {
    const user = await this.accounts.getUser(id);
    if (!user) throw new AppError('NOT_FOUND', `no user ${id}`);
    return user;
  }

  private async newUser(fields: { email: string; displayName: string; password: string; isAdmin: boolean }, now: Date): Promise<UserRecord> {
    const user: UserRecord = {
      id: newId(),
      email: fields.email,
      displayName: fields.displayName,
      passwordHash: await hashPassword(fields.password),
      isAdmin: fields.isAdmin,
      disabled: false,
      totpSecret: null,
      totpEnabled: false,
      totpLastStep: 0,
      createdAt: now,
    };
    try {
      await this.accounts.createUser(user);
    } catch (err) {
      if (err instanceof DuplicateAccountError) throw new AppError('CONFLICT', err.message);
      if (err instanceof DuplicateNameError) throw nameTaken(fields.displayName);
      throw err;
    }
    return user;
  }

  private async openSession(user: UserRecord, ip: string | null, now: Date): Promise<NewSession> {
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlHours * 3_600_000);
    const idHash = hashSecret(secret);
    await this.accounts.createSession({ idHash, userId: user.id, createdAt: now, expiresAt, ip });
    return { principal: { user: principalUser(user), via: 'session', credential: idHash, expiresAt }, secret, expiresAt };
  }
}

export function userView(u: PrincipalUser): UserView {
  return { id: u.id, email: u.email, displayName: u.displayName, admin: u.isAdmin, disabled: u.disabled, totpEnabled: u.totpEnabled };
}

function tokenView(t: TokenRecord): TokenView {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

export function requireAdmin(principal: Principal): void {
  if (!principal.user.isAdmin) throw new AppError('FORBIDDEN', 'administrators only');
}

function requireSession(principal: Principal): void {
  if (principal.via !== 'session') throw new AppError('FORBIDDEN', 'log in with your password to manage the second factor');
}

/** Secrets are base64url of 32 bytes; anything else is refused before touching the database. */
function isPlausibleSecret(s: string): boolean {
  return s.length >= 20 && s.length <= 100 && /^[A-Za-z0-9_-]+$/.test(s);
}

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badInput(result.error);
  return result.data;
}
