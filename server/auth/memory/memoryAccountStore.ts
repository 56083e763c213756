import { displayNameKey } from '../../../shared/auth/displayName';
import type { MemoryStore } from '../../storage/memory/memoryStore';
import {
  type AccountStore,
  type AuditQuery,
  type AuditRecord,
  DuplicateAccountError,
  DuplicateNameError,
  type InvitationRecord,
  type LastVisit,
  type MembershipRecord,
  type NewAuditRecord,
  type SessionRecord,
  type ThrottlePolicy,
  type ThrottleRecord,
  type ThrottleReservation,
  type TokenRecord,
  type UserPatch,
  type UserRecord,
} from '../accountStore';
import { type MemoryAccountTables, accountTablesOf, compareText, copyDetail, copyRecord, innerMap, uniqueViolation } from './memoryAccountTables';
import { releaseAttempt, reserveAttempt } from './memoryThrottle';

/** The fields a patch may change: nothing else of a user is ever written by updateUser. */
const PATCHABLE: ReadonlyArray<keyof UserPatch> = ['passwordHash', 'isAdmin', 'disabled', 'totpSecret', 'totpEnabled', 'totpLastStep', 'displayName'];

/**
 * Accounts in memory, beside a MemoryStore's journal: the tables belong to its database, so every
 * handle on that database (every node of an in-process cluster) sees one set of accounts, and a
 * closed handle refuses calls as a closed connection would. Each method is synchronous inside,
 * hence atomic: a claim, a reservation or a one-time link is decided for one caller at a time.
 */
export class MemoryAccountStore implements AccountStore {
  readonly kind = 'memory' as const;
  private readonly t: MemoryAccountTables;

  constructor(private readonly store: MemoryStore) {
    this.t = accountTablesOf(store.database);
  }

  async countUsers(): Promise<number> {
    this.open('count users');
    return this.t.users.size;
  }

  async createUser(u: UserRecord): Promise<void> {
    this.open('create user');
    const key = displayNameKey(u.displayName);
    if (this.t.userByNameKey.has(key)) throw new DuplicateNameError(u.displayName);
    if (this.t.users.has(u.id) || this.t.userByEmail.has(u.email)) throw new DuplicateAccountError(u.email);
    this.t.users.set(u.id, copyRecord(u));
    this.t.userByEmail.set(u.email, u.id);
    this.t.userByNameKey.set(key, u.id);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    this.open('read user');
    return copyOrNull(this.t.users.get(id));
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    this.open('read user');
    const id = this.t.userByEmail.get(email);
    return id === undefined ? null : copyOrNull(this.t.users.get(id));
  }

  async listUsers(): Promise<UserRecord[]> {
    this.open('list users');
    return [...this.t.users.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id)).map(copyRecord);
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    this.open('update user');
    const user = this.t.users.get(id);
    if (!user) return;
    const next = { ...user };
    for (const field of PATCHABLE) if (patch[field] !== undefined) Object.assign(next, { [field]: patch[field] });
    const oldKey = displayNameKey(user.displayName);
    const newKey = displayNameKey(next.displayName);
    const holder = this.t.userByNameKey.get(newKey);
    if (holder !== undefined && holder !== id) throw new DuplicateNameError(next.displayName);
    this.t.users.set(id, next);
    this.t.userByNameKey.delete(oldKey);
    this.t.userByNameKey.set(newKey, id);
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.open('create session');
    if (this.t.sessions.has(s.idHash)) throw uniqueViolation('sessions', 'id_hash');
    this.t.sessions.set(s.idHash, copyRecord(s));
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    this.open('read session');
    return copyOrNull(this.t.sessions.get(idHash));
  }

  async deleteSession(idHash: string): Promise<boolean> {
    this.open('delete session');
    return this.t.sessions.delete(idHash);
  }

  async deleteUserSessions(userId: string): Promise<string[]> {
    this.open('delete sessions');
    const hashes = [...this.t.sessions.values()].filter((s) => s.userId === userId).map((s) => s.idHash);
    for (const h of hashes) this.t.sessions.delete(h);
    return hashes;
  }

  async createToken(token: TokenRecord): Promise<void> {
    this.open('create token');
    if (this.t.tokens.has(token.id)) throw uniqueViolation('api_tokens', 'id');
    if (this.t.tokenByHash.has(token.hash)) throw uniqueViolation('api_tokens', 'hash');
    this.t.tokens.set(token.id, copyRecord(token));
    this.t.tokenByHash.set(token.hash, token.id);
  }

  async getTokenByHash(hash: string): Promise<TokenRecord | null> {
    this.open('read token');
    const id = this.t.tokenByHash.get(hash);
    return id === undefined ? null : copyOrNull(this.t.tokens.get(id));
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    this.open('read token');
    return copyOrNull(this.t.tokens.get(id));
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    this.open('list tokens');
    return [...this.t.tokens.values()]
      .filter((t) => t.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id))
      .map(copyRecord);
  }

  async revokeToken(id: string, at: Date): Promise<boolean> {
    this.open('revoke token');
    const token = this.t.tokens.get(id);
    if (!token || token.revokedAt !== null) return false;
    token.revokedAt = new Date(at.getTime());
    return true;
  }

  async touchToken(id: string, at: Date): Promise<void> {
    this.open('touch token');
    const token = this.t.tokens.get(id);
    if (token) token.lastUsedAt = new Date(at.getTime());
  }

  async createInvitation(invitation: InvitationRecord): Promise<void> {
    this.open('create invitation');
    if (this.t.invitations.has(invitation.hash)) throw uniqueViolation('invitations', 'hash');
    this.t.invitations.set(invitation.hash, copyRecord(invitation));
  }

  async getInvitation(hash: string): Promise<InvitationRecord | null> {
    this.open('read invitation');
    return copyOrNull(this.t.invitations.get(hash));
  }

  async listPendingInvitations(at: Date): Promise<InvitationRecord[]> {
    this.open('list invitations');
    const t = at.getTime();
    return [...this.t.invitations.values()]
      .filter((i) => i.kind === 'invite' && i.usedAt === null && i.expiresAt.getTime() > t)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
      .map((i) => copyRecord(i));
  }

  /** Revoking ends the invitation now (as SQLite and PostgreSQL do: its expiry is set to `at`). */
  async revokeInvitation(hash: string, at: Date): Promise<boolean> {
    this.open('revoke invitation');
    const invitation = this.t.invitations.get(hash);
    if (!invitation || invitation.kind !== 'invite' || invitation.usedAt !== null || invitation.expiresAt.getTime() <= at.getTime()) return false;
    invitation.expiresAt = new Date(at.getTime());
    return true;
  }

  async consumeInvitation(hash: string, at: Date): Promise<boolean> {
    this.open('use invitation');
    const invitation = this.t.invitations.get(hash);
    if (!invitation || invitation.usedAt !== null || invitation.expiresAt.getTime() <= at.getTime()) return false;
    invitation.usedAt = new Date(at.getTime());
    return true;
  }

  async setMembership(m: MembershipRecord): Promise<void> {
    this.open('set membership');
    innerMap(this.t.memberships, m.incidentId).set(m.userId, copyRecord(m));
  }

  async removeMembership(incidentId: string, userId: string): Promise<boolean> {
    this.open('remove membership');
    return this.t.memberships.get(incidentId)?.delete(userId) ?? false;
  }

  async getMembership(incidentId: string, userId: string): Promise<MembershipRecord | null> {
    this.open('read membership');
    return copyOrNull(this.t.memberships.get(incidentId)?.get(userId));
  }

  async listMembers(incidentId: string): Promise<MembershipRecord[]> {
    this.open('list members');
    const members = [...(this.t.memberships.get(incidentId)?.values() ?? [])];
    return members.sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime() || compareText(a.userId, b.userId)).map(copyRecord);
  }

  async listMemberships(userId: string): Promise<MembershipRecord[]> {
    this.open('list memberships');
    const mine: MembershipRecord[] = [];
    for (const members of this.t.memberships.values()) {
      const m = members.get(userId);
      if (m) mine.push(m);
    }
    return mine.sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime() || compareText(a.incidentId, b.incidentId)).map(copyRecord);
  }

  async claimClients(doc: string, clients: number[], userId: string): Promise<Map<number, string>> {
    this.open('claim clients');
    const owners = innerMap(this.t.clients, doc);
    for (const c of clients) if (!owners.has(c)) owners.set(c, userId);
    return this.ownersOf(doc, clients);
  }

  async clientOwners(doc: string, clients: number[]): Promise<Map<number, string>> {
    this.open('read clients');
    return this.ownersOf(doc, clients);
  }

  async getThrottle(key: string): Promise<ThrottleRecord | null> {
    this.open('read throttle');
    return copyOrNull(this.t.throttles.get(key));
  }

  async putThrottle(record: ThrottleRecord): Promise<void> {
    this.open('write throttle');
    this.t.throttles.set(record.key, copyRecord(record));
  }

  async clearThrottle(key: string): Promise<void> {
    this.open('clear throttle');
    this.t.throttles.delete(key);
  }

  async reserveThrottle(key: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleReservation> {
    this.open('reserve throttle');
    const { reservation, record } = reserveAttempt(this.t.throttles.get(key) ?? null, key, now, policy);
    if (record) this.t.throttles.set(key, record);
    return reservation;
  }

  async releaseThrottle(key: string, policy: ThrottlePolicy): Promise<void> {
    this.open('release throttle');
    const record = this.t.throttles.get(key);
    if (record) this.t.throttles.set(key, releaseAttempt(record, policy));
  }

  async setLastVisits(visits: readonly LastVisit[]): Promise<void> {
    this.open('set last visits');
    for (const v of visits) {
      const users = innerMap(this.t.lastVisits, v.incidentId);
      users.set(v.userId, Math.max(users.get(v.userId) ?? v.at.getTime(), v.at.getTime()));
    }
  }

  async getLastVisit(incidentId: string, userId: string): Promise<Date | null> {
    this.open('read last visit');
    const at = this.t.lastVisits.get(incidentId)?.get(userId);
    return at === undefined ? null : new Date(at);
  }

  async appendAudit(records: NewAuditRecord[]): Promise<void> {
    this.open('append audit');
    // Copied first, so a detail that is not JSON refuses the whole batch, as one transaction would.
    const copies = records.map((r) => ({ ...copyRecord(r), detail: copyDetail(r.detail) }));
    for (const r of copies) this.t.audit.push({ ...r, id: this.t.audit.length + 1 });
  }

  async listAudit(q: AuditQuery): Promise<AuditRecord[]> {
    this.open('list audit');
    const out: AuditRecord[] = [];
    // Ids are 1..n in order, so id k sits at index k - 1.
    for (let i = Math.max(0, Math.floor(q.afterId)); i < this.t.audit.length && out.length < q.limit; i++) {
      const r = this.t.audit[i]!;
      if (q.incidentId === undefined || r.incidentId === q.incidentId) out.push({ ...copyRecord(r), detail: copyDetail(r.detail) });
    }
    return out;
  }

  /** The tables belong to the MemoryStore's database, which outlives this handle: nothing to close here. */
  async close(): Promise<void> {}

  private ownersOf(doc: string, clients: number[]): Map<number, string> {
    const owners = this.t.clients.get(doc);
    const out = new Map<number, string>();
    for (const c of clients) {
      const owner = owners?.get(c);
      if (owner !== undefined) out.set(c, owner);
    }
    return out;
  }

  /** Refuses once the journal store this account store lives beside is closed, like the SQL stores on their shared connection. */
  private open(action: string): void {
    this.store.ensureOpen(action);
  }
}

function copyOrNull<T extends object>(record: T | undefined): T | null {
  return record === undefined ? null : copyRecord(record);
}
