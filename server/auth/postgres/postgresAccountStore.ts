import { IncidentRoleSchema, type IncidentRole } from '../../../shared/auth/roles';
import type { Pool } from 'pg';
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
  UserPatch,
  UserRecord,
} from '../accountStore';
import { type AuditRowPg, type MembershipRow, type TokenRow, type UserRow, USER_COLUMNS, isNameViolation, toMembership, toToken, toUser } from './rows';

/**
 * Accounts on the journal's PostgreSQL pool (handed over by PostgresStore, which owns and ends
 * it), so several nodes share one set of accounts, memberships and client-id bindings.
 */
export class PostgresAccountStore implements AccountStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly pool: Pool) {}

  /** The tables are migration 3 of the schema, created by PostgresStore.connect on this pool. */
  static async on(pool: Pool): Promise<PostgresAccountStore> {
    return new PostgresAccountStore(pool);
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM users');
    return Number(rows[0]!.n);
  }

  async createUser(u: UserRecord): Promise<void> {
    try {
      await this.pool.query(
        'INSERT INTO users (id, email, display_name, display_name_key, password_hash, is_admin, disabled, totp_secret, totp_enabled, totp_last_step, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [u.id, u.email, u.displayName, displayNameKey(u.displayName), u.passwordHash, u.isAdmin, u.disabled, u.totpSecret, u.totpEnabled, u.totpLastStep, u.createdAt],
      );
    } catch (err) {
      if (isNameViolation(err)) throw new DuplicateNameError(u.displayName);
      if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505') throw new DuplicateAccountError(u.email);
      throw err;
    }
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async getUserByEmail(email: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY created_at, id');
    return rows.map(toUser);
  }

  async updateUser(id: string, patch: UserPatch): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as Array<[keyof UserPatch, unknown]>;
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `${USER_COLUMNS[k]} = $${i + 1}`);
    const values: unknown[] = entries.map(([, v]) => v);
    // The name and its key change together, under the unique index.
    if (patch.displayName !== undefined) {
      values.push(displayNameKey(patch.displayName));
      sets.push(`display_name_key = $${values.length}`);
    }
    try {
      await this.pool.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, id]);
    } catch (err) {
      if (patch.displayName !== undefined && isNameViolation(err)) throw new DuplicateNameError(patch.displayName);
      throw err;
    }
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO sessions (id_hash, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)', [s.idHash, s.userId, s.createdAt, s.expiresAt, s.ip]);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<{ id_hash: string; user_id: string; created_at: Date; expires_at: Date; ip: string | null }>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
    const r = rows[0];
    return r ? { idHash: r.id_hash, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, ip: r.ip } : null;
  }

  async deleteSession(idHash: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    return (res.rowCount ?? 0) > 0;
  }

  async deleteUserSessions(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id_hash: string }>('DELETE FROM sessions WHERE user_id = $1 RETURNING id_hash', [userId]);
    return rows.map((r) => r.id_hash);
  }

  async createToken(t: TokenRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO api_tokens (id, user_id, name, hash, created_at, expires_at, revoked_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [t.id, t.userId, t.name, t.hash, t.createdAt, t.expiresAt, t.revokedAt, t.lastUsedAt],
    );
  }

  async getTokenByHash(hash: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM api_tokens WHERE hash = $1', [hash]);
    return rows[0] ? toToken(rows[0]) : null;
  }

  async getToken(id: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM api_tokens WHERE id = $1', [id]);
    return rows[0] ? toToken(rows[0]) : null;
  }

  async listTokens(userId: string): Promise<TokenRecord[]> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id', [userId]);
    return rows.map(toToken);
  }

  async revokeToken(id: string, at: Date): Promise<boolean> {
    const res = await this.pool.query('UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
    return (res.rowCount ?? 0) > 0;
  }

  async touchToken(id: string, at: Date): Promise<void> {
    await this.pool.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async createInvitation(i: InvitationRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO invitations (hash, kind, email, display_name, is_admin, created_by, created_at, expires_at, used_at, incident_id, incident_role) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [i.hash, i.kind, i.email, i.displayName, i.isAdmin, i.createdBy, i.createdAt, i.expiresAt, i.usedAt, i.incidentId ?? null, i.incidentRole ?? null],
    );
  }

  async getInvitation(hash: string): Promise<InvitationRecord | null> {
    const { rows } = await this.pool.query<PgInvitationRow>('SELECT * FROM invitations WHERE hash = $1', [hash]);
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  async listPendingInvitations(at: Date): Promise<InvitationRecord[]> {
    const { rows } = await this.pool.query<PgInvitationRow>("SELECT * FROM invitations WHERE kind = 'invite' AND used_at IS NULL AND expires_at > $1 ORDER BY created_at, hash", [at]);
    return rows.map(toInvitation);
  }

  async revokeInvitation(hash: string, at: Date): Promise<boolean> {
    const res = await this.pool.query("UPDATE invitations SET expires_at = $1 WHERE hash = $2 AND kind = 'invite' AND used_at IS NULL AND expires_at > $1", [at, hash]);
    return res.rowCount === 1;
  }

  async consumeInvitation(hash: string, at: Date): Promise<boolean> {
    const res = await this.pool.query('UPDATE invitations SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1', [at, hash]);
    return res.rowCount === 1;
  }

  async setMembership(m: MembershipRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO memberships (incident_id, user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (incident_id, user_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by, granted_at = excluded.granted_at`,
      [m.incidentId, m.userId, m.role, m.grantedBy, m.grantedAt],
    );
  }

  async removeMembership(incidentId: string, userId: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM memberships WHERE incident_id = $1 AND user_id = $2', [incidentId, userId]);
    return (res.rowCount ?? 0) > 0;
  }

  async getMembership(incidentId: string, userId: string): Promise<MembershipRecord | null> {
    const { rows } = await this.pool.query<MembershipRow>('SELECT * FROM memberships WHERE incident_id = $1 AND user_id = $2', [incidentId, userId]);
    return rows[0] ? toMembership(rows[0]) : null;
  }

  async listMembers(incidentId: string): Promise<MembershipRecord[]> {
    const { rows } = await this.pool.query<MembershipRow>('SELECT * FROM memberships WHERE incident_id = $1 ORDER BY granted_at, user_id', [incidentId]);
    return rows.map(toMembership);
  }

  async listMemberships(userId: string): Promise<MembershipRecord[]> {
    const { rows } = await this.pool.query<MembershipRow>('SELECT * FROM memberships WHERE user_id = $1 ORDER BY granted_at, incident_id', [userId]);
    return rows.map(toMembership);
  }

  async setLastVisits(visits: readonly LastVisit[]): Promise<void> {
    // One statement may not upsert a row twice: the latest visit given for a pair goes in.
    const latest = new Map<string, LastVisit>();
    for (const v of visits) {
      const key = `${v.incidentId}\0${v.userId}`;
      const seen = latest.get(key);
      if (!seen || v.at > seen.at) latest.set(key, v);
    }
    if (latest.size === 0) return;
    const rows = [...latest.values()];
    await this.pool.query(
      `INSERT INTO last_visits (incident_id, user_id, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
       ON CONFLICT (incident_id, user_id) DO UPDATE SET at = GREATEST(last_visits.at, excluded.at)`,
      [rows.map((v) => v.incidentId), rows.map((v) => v.userId), rows.map((v) => v.at)],
    );
  }

  async getLastVisit(incidentId: string, userId: string): Promise<Date | null> {
    const { rows } = await this.pool.query<{ at: Date }>('SELECT at FROM last_visits WHERE incident_id = $1 AND user_id = $2', [incidentId, userId]);
    return rows[0] ? rows[0].at : null;
  }

  async claimClients(doc: string, clients: number[], userId: string): Promise<Map<number, string>> {
    if (clients.length === 0) return new Map();
    // One round trip: the rows inserted, and those that were there before the statement (its
    // snapshot; the insert's own rows are not in it, so none comes twice).
    const { rows } = await this.pool.query<{ client: string; user_id: string }>(
      `WITH claimed AS (
         INSERT INTO yjs_clients (doc, client, user_id) SELECT $1, c, $3 FROM unnest($2::bigint[]) AS c
         ON CONFLICT (doc, client) DO NOTHING RETURNING client, user_id)
       SELECT client, user_id FROM claimed
       UNION ALL
       SELECT client, user_id FROM yjs_clients WHERE doc = $1 AND client = ANY($2::bigint[])`,
      [doc, clients, userId],
    );
    const owners = new Map(rows.map((r) => [Number(r.client), r.user_id]));
    // An id another transaction claimed after the snapshot was skipped by ON CONFLICT and is in
    // neither half: read it again, now committed.
    const missed = clients.filter((c) => !owners.has(c));
    if (missed.length > 0) for (const [c, owner] of await this.clientOwners(doc, missed)) owners.set(c, owner);
    return owners;
  }

  async clientOwners(doc: string, clients: number[]): Promise<Map<number, string>> {
    if (clients.length === 0) return new Map();
    const { rows } = await this.pool.query<{ client: string; user_id: string }>('SELECT client, user_id FROM yjs_clients WHERE doc = $1 AND client = ANY($2::bigint[])', [doc, clients]);
    return new Map(rows.map((r) => [Number(r.client), r.user_id]));
  }

  async getThrottle(key: string): Promise<ThrottleRecord | null> {
    const { rows } = await this.pool.query<{ key: string; failures: number; last_failure_at: Date; blocked_until: Date | null }>('SELECT * FROM login_throttle WHERE key = $1', [key]);
    const r = rows[0];
    return r ? { key: r.key, failures: r.failures, lastFailureAt: r.last_failure_at, blockedUntil: r.blocked_until } : null;
  }

  async putThrottle(r: ThrottleRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO login_throttle (key, failures, last_failure_at, blocked_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
      [r.key, r.failures, r.lastFailureAt, r.blockedUntil],
    );
  }

  async clearThrottle(key: string): Promise<void> {
    await this.pool.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  /**
   * One statement, atomic across nodes: the upsert counts the attempt and sets its block
   * (throttleBlockMs in SQL) unless the row is blocked, in which case it updates nothing and
   * returns no row. Concurrent upserts of one key queue on its row lock and each sees the
   * count of the one before.
   */
  async reserveThrottle(key: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleReservation> {
    const next = '(CASE WHEN t.last_failure_at < $3 THEN 1 ELSE t.failures + 1 END)';
    const block = (n: string) => `(CASE WHEN ${n} >= $4 THEN $2::timestamptz + LEAST($6::float8, $5::float8 * power(2::float8, LEAST(${n} - $4, 20))) * interval '1 millisecond' ELSE NULL END)`;
    const forgetBefore = new Date(now.getTime() - policy.forgetAfterMs);
    const { rows } = await this.pool.query<{ failures: number }>(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at, blocked_until) VALUES ($1, 1, $2, ${block('1')})
       ON CONFLICT (key) DO UPDATE SET failures = ${next}, last_failure_at = $2, blocked_until = ${block(next)}
       WHERE t.blocked_until IS NULL OR t.blocked_until <= $2 OR t.last_failure_at < $3
       RETURNING failures`,
      [key, now, forgetBefore, policy.freeFailures, policy.baseBlockMs, policy.maxBlockMs],
    );
    if (rows[0]) return { ok: true, failures: rows[0].failures };
    const blocked = await this.pool.query<{ blocked_until: Date | null }>('SELECT blocked_until FROM login_throttle WHERE key = $1', [key]);
    // Cleared in between (a success): refuse this once anyway, it raced a block.
    return { ok: false, blockedUntil: blocked.rows[0]?.blocked_until ?? new Date(now.getTime() + 1000) };
  }

  async releaseThrottle(key: string, policy: ThrottlePolicy): Promise<void> {
    await this.pool.query('UPDATE login_throttle SET failures = GREATEST(failures - 1, 0), blocked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE blocked_until END WHERE key = $1', [key, policy.freeFailures]);
  }

  async appendAudit(records: NewAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.pool.query(
      `INSERT INTO audit (at, actor, action, incident_id, ip, detail)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
      [
        records.map((r) => r.at),
        records.map((r) => r.actor),
        records.map((r) => r.action),
        records.map((r) => r.incidentId),
        records.map((r) => r.ip),
        records.map((r) => (r.detail === null ? null : JSON.stringify(r.detail))),
      ],
    );
  }

  async listAudit(q: AuditQuery): Promise<AuditRecord[]> {
    const { rows } =
      q.incidentId === undefined
        ? await this.pool.query<AuditRowPg>('SELECT * FROM audit WHERE id > $1 ORDER BY id LIMIT $2', [q.afterId, q.limit])
        : await this.pool.query<AuditRowPg>('SELECT * FROM audit WHERE incident_id = $1 AND id > $2 ORDER BY id LIMIT $3', [q.incidentId, q.afterId, q.limit]);
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      incidentId: r.incident_id,
      ip: r.ip,
      detail: (r.detail as Record<string, unknown> | null) ?? null,
    }));
  }

  /** The pool belongs to the PostgresStore, which ends it. */
  async close(): Promise<void> {}
}

interface PgInvitationRow {
  hash: string;
  kind: string;
  email: string | null;
  display_name: string | null;
  is_admin: boolean;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  incident_id: string | null;
  incident_role: string | null;
}

function toInvitation(r: PgInvitationRow): InvitationRecord {
  return {
    hash: r.hash,
    kind: r.kind === 'setup' ? 'setup' : 'invite',
    email: r.email,
    displayName: r.display_name,
    isAdmin: r.is_admin,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    incidentId: r.incident_id ?? null,
    incidentRole: IncidentRoleSchema.safeParse(r.incident_role).success ? (r.incident_role as IncidentRole) : null,
  };
}
