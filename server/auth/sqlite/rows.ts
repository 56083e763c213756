import { IncidentRoleSchema } from '../../../shared/auth/roles';
import type { MembershipRecord, TokenRecord, UserPatch, UserRecord } from '../accountStore';

/** Rows of the account tables in SQLite (times as epoch milliseconds, flags as 0/1) and their records. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  disabled: number;
  totp_secret: string | null;
  totp_enabled: number;
  totp_last_step: number;
  created_at: number;
}
export interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  ip: string | null;
}
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}
export interface InvitationRow {
  hash: string;
  kind: string;
  email: string | null;
  display_name: string | null;
  is_admin: number;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  incident_id: string | null;
  incident_role: string | null;
}
export interface MembershipRow {
  incident_id: string;
  user_id: string;
  role: string;
  granted_by: string | null;
  granted_at: number;
}
export interface AuditRow {
  id: number;
  at: number;
  actor: string | null;
  action: string;
  incident_id: string | null;
  ip: string | null;
  detail: string | null;
}

export const USER_COLUMNS: Record<keyof UserPatch, string> = {
  passwordHash: 'password_hash',
  isAdmin: 'is_admin',
  disabled: 'disabled',
  totpSecret: 'totp_secret',
  totpEnabled: 'totp_enabled',
  totpLastStep: 'totp_last_step',
  displayName: 'display_name',
};


export function b(v: boolean): number {
  return v ? 1 : 0;
}
export function ms(d: Date | null): number | null {
  return d === null ? null : d.getTime();
}
export function date(v: number | null): Date | null {
  return v === null ? null : new Date(v);
}
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT');
}

export function isNameViolation(err: unknown): boolean {
  // Not `instanceof Error`: better-sqlite3's native part keeps the SqliteError class of the first
  // context that loaded it, so under jest (a context per test file) a later file's errors are
  // not instances of its own Error. Read the message as data.
  const message = (err as { message?: unknown }).message;
  return isUniqueViolation(err) && typeof message === 'string' && message.includes('display_name_key');
}

export function toUser(r: UserRow): UserRecord {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    isAdmin: r.is_admin === 1,
    disabled: r.disabled === 1,
    totpSecret: r.totp_secret,
    totpEnabled: r.totp_enabled === 1,
    totpLastStep: r.totp_last_step,
    createdAt: new Date(r.created_at),
  };
}
export function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    hash: r.hash,
    createdAt: new Date(r.created_at),
    expiresAt: date(r.expires_at),
    revokedAt: date(r.revoked_at),
    lastUsedAt: date(r.last_used_at),
  };
}
export function toMembership(r: MembershipRow): MembershipRecord {
  return { incidentId: r.incident_id, userId: r.user_id, role: IncidentRoleSchema.parse(r.role), grantedBy: r.granted_by, grantedAt: new Date(r.granted_at) };
}
