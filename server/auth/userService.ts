import type { z } from 'zod';
import type { UserUpdateBodySchema, UserView } from '../../shared/auth/schemas';
import { AppError } from '../errors';
import { type AccountStore, DuplicateNameError, type UserRecord } from './accountStore';
import type { AuditSink } from './auditSink';
import { requireAdmin } from './guards';
import { nameTaken, requireFreeName } from './names/displayNames';
import type { Principal } from './principal';
import type { Revocations } from './revocations';
import { type UserListEntry, userView } from './views';

export type UserPatchInput = z.infer<typeof UserUpdateBodySchema>;

/** The accounts as people see them: renaming oneself, the user list, an administrator's changes. */
export class UserService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly revocations: Revocations,
  ) {}

  /** A user renames themselves (`PUT /api/auth/me`), under the same rule: no name another account holds. */
  async rename(principal: Principal, displayName: string, ip: string | null): Promise<UserView> {
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
  async updateUser(principal: Principal, id: string, patch: UserPatchInput, ip: string | null): Promise<UserView> {
    requireAdmin(principal);
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
}
