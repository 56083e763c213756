import { IncidentRoleSchema, type IncidentRole } from '../../../shared/auth/roles';
import type Database from 'better-sqlite3';
import { displayNameKey } from '../../../shared/auth/displayName';
import {
  AccountStore,
  AuditQuery,
  AuditRecord,
  DuplicateAccountError,
  DuplicateNameError,
  InvitationRecord,
  LastVisit,
  MembershipRecord,
  NewAuditRecord,
  SessionRecord,
  ThrottlePolicy,
  ThrottleRecord,
  ThrottleReservation,
  TokenRecord,
  throttleBlockMs,
  UserPatch,
  UserRecord,
} from '../accountStore';
import { type AuditRow, type InvitationRow, type MembershipRow, type SessionRow, type TokenRow, type UserRow, USER_COLUMNS, b, date, isNameViolation, isUniqueViolation, ms, toMembership, toToken, toUser } from './rows';

/**
 * Accounts on the journal's SQLite connection (handed over by SqliteStore, which owns and
 * closes it). better-sqlite3 is synchronous, so each method is one committed statement or
 * transaction by the time its promise resolves.
 */
export class SqliteAccountStore implements AccountStore {
  readonly kind = 'sqlite' as const;

  /** Compiled once each: every REST request and every socket re-check reads these tables. */
  private readonly statements = new Map<string, Database.Statement>();

  /** The tables are migration 3 of the file's schema, created by SqliteStore when it opened it. */
  constructor(private readonly db: Database.Database) {}

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  async countUsers(): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  async createUser(u: UserRecord): Promise<void> {
    try {
      this.sql('INSERT INTO users (id, email, display_name, display_name_key, password_hash, is_admin, disabled, totp_secret, totp_enabled, totp_last_step, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(u.id, u.email, u.displayName, displayNameKey(u.displayName), u.passwordHash, b(u.isAdmin), b(u.disabled), u.totpSecret, b(u.totpEnabled), u.totpLastStep, u.createdAt.getTime());
    } catch (err) {
      if (isNameViolation(err) || (isUniqueViolation(err) && this.nameTaken(u.displayName))) throw new DuplicateNameError(u.displayName);
      if (isUniqueViolation(err)) throw new DuplicateAccountError(u.email);
      throw err;
    }
  }

  /** Which rule a unique violation broke, asked of the data rather than read from SQLite's message. */
  private nameTaken(displayName: string): boolean {
    return this.sql('SELECT 1 FROM users WHERE display_name_key = ?').get(displayNameKey(displayName)) !== undefined;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    const row = this.sql('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.sql('SELECT * FROM users ORDER BY created_at, id').all() as UserRow[]).map(toUser);
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as Array<[keyof UserPatch, unknown]>;
    if (entries.length === 0) return;
    const sets = entries.map(([k]) => `${USER_COLUMNS[k]} = ?`);
    const values = entries.map(([, v]) => (typeof v === 'boolean' ? b(v) : v));
    // The name and its key change together, under the unique index.
    if (patch.displayName !== undefined) {
      sets.push('display_name_key = ?');
      values.push(displayNameKey(patch.displayName));
    }
    try {
      this.sql(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    } catch (err) {
      if (patch.displayName !== undefined && isNameViolation(err)) throw new DuplicateNameError(patch.displayName);
      throw err;
    }
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.sql('INSERT INTO sessions (id_hash, user_id, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?)').run(s.idHash, s.userId, s.createdAt.getTime(), s.expiresAt.getTime(), s.ip);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = this.sql('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
    return row ? { idHash: row.id_hash, userId: row.user_id, createdAt: new Date(row.created_at), expiresAt: new Date(row.expires_at), ip: row.ip } : null;
  }

  async deleteSession(idHash: string): Promise<boolean> {
    return this.sql('DELETE FROM sessions WHERE id_hash = ?').run(idHash).changes > 0;
  }

  async deleteUserSessions(userId: string): Promise<string[]> {
    return this.db.transaction(() => {
      const hashes = (this.sql('SELECT id_hash FROM sessions WHERE user_id = ?').all(userId) as Array<{ id_hash: string }>).map((r) => r.id_hash);
      this.sql('DELETE FROM sessions WHERE user_id = ?').run(userId);
      return hashes;
    }).immediate();
  }

  async createToken(t: TokenRecord): Promise<void> {
    this.sql('INSERT INTO api_tokens (id, user_id, name, hash, created_at, expires_at, revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(t.id, t.userId, t.name, t.hash, t.createdAt.getTime(), ms(t.expiresAt), ms(t.revokedAt), ms(t.lastUsedAt));
  }

  async getTokenByHash(hash: string): Promise<TokenRecord | null> {
    const row = this.sql('SELECT * FROM api_tokens WHERE hash = ?').get(hash) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const row = this.sql('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row ? toToken(row) : null;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    return (this.sql('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id').all(userId) as TokenRow[]).map(toToken);
  }

  async revokeToken(id: string, at: Date): Promise<boolean> {
    return this.sql('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at.getTime(), id).changes > 0;
  }

  async touchToken(id: string, at: Date): Promise<void> {
    this.sql('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at.getTime(), id);
  }

  async createInvitation(i: InvitationRecord): Promise<void> {
    this.sql('INSERT INTO invitations (hash, kind, email, display_name, is_admin, created_by, created_at, expires_at, used_at, incident_id, incident_role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(i.hash, i.kind, i.email, i.displayName, b(i.isAdmin), i.createdBy, i.createdAt.getTime(), i.expiresAt.getTime(), ms(i.usedAt), i.incidentId ?? null, i.incidentRole ?? null);
  }

  async getInvitation(hash: string): Promise<InvitationRecord | null> {
    const row = this.sql('SELECT * FROM invitations WHERE hash = ?').get(hash) as InvitationRow | undefined;
    return row ? toInvitation(row) : null;
  }

  async listPendingInvitations(at: Date): Promise<InvitationRecord[]> {
    const rows = this.sql("SELECT * FROM invitations WHERE kind = 'invite' AND used_at IS NULL AND expires_at > ? ORDER BY created_at, hash").all(at.getTime()) as InvitationRow[];
    return rows.map(toInvitation);
  }

  async revokeInvitation(hash: string, at: Date): Promise<boolean> {
    const t = at.getTime();
    return this.sql("UPDATE invitations SET expires_at = ? WHERE hash = ? AND kind = 'invite' AND used_at IS NULL AND expires_at > ?").run(t, hash, t).changes === 1;
  }

  async consumeInvitation(hash: string, at: Date): Promise<boolean> {
    const t = at.getTime();
    return this.sql('UPDATE invitations SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?').run(t, hash, t).changes === 1;
  }

  async setMembership(m: MembershipRecord): Promise<void> {
    this.sql(
      `INSERT INTO memberships (incident_id, user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (incident_id, user_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
    ).run(m.incidentId, m.userId, m.role, m.grantedBy, m.grantedAt.getTime());
  }

  async removeMembership(incidentId: string, userId: string): Promise<boolean> {
    return this.sql('DELETE FROM memberships WHERE incident_id = ? AND user_id = ?').run(incidentId, userId).changes > 0;
  }

  async getMembership(incidentId: string, userId: string): Promise<MembershipRecord | null> {
    const row = this.sql('SELECT * FROM memberships WHERE incident_id = ? AND user_id = ?').get(incidentId, userId) as MembershipRow | undefined;
    return row ? toMembership(row) : null;
  }

  async listMembers(incidentId: string): Promise<MembershipRecord[]> {
    return (this.sql('SELECT * FROM memberships WHERE incident_id = ? ORDER BY granted_at, user_id').all(incidentId) as MembershipRow[]).map(toMembership);
  }

  async listMemberships(userId: string): Promise<MembershipRecord[]> {
    return (this.sql('SELECT * FROM memberships WHERE user_id = ? ORDER BY granted_at, incident_id').all(userId) as MembershipRow[]).map(toMembership);
  }

  async setLastVisits(visits: readonly LastVisit[]): Promise<void> {
    const upsert = this.sql('INSERT INTO last_visits (incident_id, user_id, at) VALUES (?, ?, ?) ON CONFLICT (incident_id, user_id) DO UPDATE SET at = MAX(at, excluded.at)');
    this.db.transaction(() => {
      for (const v of visits) upsert.run(v.incidentId, v.userId, v.at.getTime());
    })();
  }

  async getLastVisit(incidentId: string, userId: string): Promise<Date | null> {
    const row = this.sql('SELECT at FROM last_visits WHERE incident_id = ? AND user_id = ?').get(incidentId, userId) as { at: number } | undefined;
    return row ? new Date(row.at) : null;
  }

  async claimClients(doc: string, clients: number[], userId: string): Promise<Map<number, string>> {
    // Owned ids are only read: the write lock (taken synchronously, beside the journal's
    // commits) is for ids that have no owner yet.
    const owned = await this.clientOwners(doc, clients);
    const unowned = clients.filter((c) => !owned.has(c));
    if (unowned.length === 0) return owned;
    const insert = this.sql('INSERT INTO yjs_clients (doc, client, user_id) VALUES (?, ?, ?) ON CONFLICT (doc, client) DO NOTHING');
    this.db.transaction(() => {
      for (const c of unowned) insert.run(doc, c, userId);
    }).immediate();
    return this.clientOwners(doc, clients);
  }

  async clientOwners(doc: string, clients: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const select = this.sql('SELECT user_id FROM yjs_clients WHERE doc = ? AND client = ?');
    for (const c of clients) {
      const row = select.get(doc, c) as { user_id: string } | undefined;
      if (row) out.set(c, row.user_id);
    }
    return out;
  }

  async getThrottle(key: string): Promise<ThrottleRecord | null> {
    const row = this.sql('SELECT * FROM login_throttle WHERE key = ?').get(key) as { key: string; failures: number; last_failure_at: number; blocked_until: number | null } | undefined;
    return row ? { key: row.key, failures: row.failures, lastFailureAt: new Date(row.last_failure_at), blockedUntil: date(row.blocked_until) } : null;
  }

  async putThrottle(r: ThrottleRecord): Promise<void> {
    this.sql(
      `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
    ).run(r.key, r.failures, r.lastFailureAt.getTime(), ms(r.blockedUntil));
  }

  async clearThrottle(key: string): Promise<void> {
    this.sql('DELETE FROM login_throttle WHERE key = ?').run(key);
  }

  /** One synchronous IMMEDIATE transaction: nothing else reads or writes the row in between (this process owns the file). */
  async reserveThrottle(key: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleReservation> {
    const t = now.getTime();
    return this.db
      .transaction((): ThrottleReservation => {
        const row = this.sql('SELECT failures, last_failure_at, blocked_until FROM login_throttle WHERE key = ?').get(key) as { failures: number; last_failure_at: number; blocked_until: number | null } | undefined;
        const stale = !row || t - row.last_failure_at > policy.forgetAfterMs;
        if (row && !stale && row.blocked_until !== null && row.blocked_until > t) return { ok: false, blockedUntil: new Date(row.blocked_until) };
        const failures = stale ? 1 : row.failures + 1;
        const block = throttleBlockMs(failures, policy);
        this.sql(
          `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
        ).run(key, failures, t, block > 0 ? t + block : null);
        return { ok: true, failures };
      })
      .immediate();
  }

  async releaseThrottle(key: string, policy: ThrottlePolicy): Promise<void> {
    this.sql('UPDATE login_throttle SET failures = MAX(failures - 1, 0), blocked_until = CASE WHEN failures - 1 < ? THEN NULL ELSE blocked_until END WHERE key = ?')
      .run(policy.freeFailures, key);
  }

  async appendAudit(records: NewAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const insert = this.sql('INSERT INTO audit (at, actor, action, incident_id, ip, detail) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of records) insert.run(r.at.getTime(), r.actor, r.action, r.incidentId, r.ip, r.detail === null ? null : JSON.stringify(r.detail));
    }).immediate();
  }

  async listAudit(q: AuditQuery): Promise<AuditRecord[]> {
    const rows =
      q.incidentId === undefined
        ? (this.sql('SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?').all(q.afterId, q.limit) as AuditRow[])
        : (this.sql('SELECT * FROM audit WHERE incident_id = ? AND id > ? ORDER BY id LIMIT ?').all(q.incidentId, q.afterId, q.limit) as AuditRow[]);
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at),
      actor: r.actor,
      action: r.action,
      incidentId: r.incident_id,
      ip: r.ip,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    }));
  }

  /** The connection belongs to the SqliteStore, which closes it. */
  async close(): Promise<void> {}
}

function toInvitation(row: InvitationRow): InvitationRecord {
  return {
    hash: row.hash,
    kind: row.kind === 'setup' ? 'setup' : 'invite',
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    usedAt: date(row.used_at),
    incidentId: row.incident_id ?? null,
    incidentRole: IncidentRoleSchema.safeParse(row.incident_role).success ? (row.incident_role as IncidentRole) : null,
  };
}
