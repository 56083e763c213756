import type { SessionEndCode } from '../../shared/protocol/errors';
import type { AccountStore } from './accountStore';
import type { AuditSink } from './auditSink';
import { isPlausibleSecret } from './credentials';
import { principalUser, type Principal } from './principal';
import { hashSecret } from './secrets';

/** A token's usage is written (last_used_at, audit) at most this often, not on every request. */
const TOKEN_TOUCH_MS = 60_000;

/**
 * Who is behind a session cookie or an API token, and whether that still holds: asked by every
 * request, every socket handshake and the periodic re-check of open sockets.
 */
export class CredentialService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
  ) {}

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

  /** Whether a principal established earlier still holds. */
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
}
