import { IncidentRoleSchema } from '../../../shared/auth/roles';
import type { MembershipRecord, TokenRecord, UserPatch, UserRecord } from '../accountStore';

/** Rows of the account tables in PostgreSQL and their records. */
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_admin: boolean;
  disabled: boolean;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: string;
  created_at: Date;
}
export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}
export interface MembershipRow {
  incident_id: string;
  user_id: string;
  role: string;
  granted_by: string | null;
  granted_at: Date;
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


export interface AuditRowPg {
  id: string;
  at: Date;
  actor: string | null;
  action: string;
  incident_id: string | null;
  ip: string | null;
  detail: unknown;
}

export function toUser(r: UserRow): UserRecord {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    isAdmin: r.is_admin,
    disabled: r.disabled,
    totpSecret: r.totp_secret,
    totpEnabled: r.totp_enabled,
    totpLastStep: Number(r.totp_last_step),
    createdAt: r.created_at,
  };
}
export function toToken(r: TokenRow): TokenRecord {
  return { id: r.id, userId: r.user_id, name: r.name, hash: r.hash, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at };
}
export function toMembership(r: MembershipRow): MembershipRecord {
  return { incidentId: r.incident_id, userId: r.user_id, role: IncidentRoleSchema.parse(r.role), grantedBy: r.granted_by, grantedAt: r.granted_at };
}

export function isNameViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === 'users_display_name_key';
}
