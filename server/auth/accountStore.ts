import type { IncidentRole } from '../../shared/auth/roles';

/** One user's departure from one incident. */
export interface LastVisit {
  incidentId: string;
  userId: string;
  at: Date;
}

/** A local account. The hospital directory may be the compromised thing, so the server keeps its own. */
export interface UserRecord {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  displayName: string;
  /** argon2id PHC string. */
  passwordHash: string;
  isAdmin: boolean;
  disabled: boolean;
  /** Base32 TOTP secret once enrolment started; used only when totpEnabled. */
  totpSecret: string | null;
  totpEnabled: boolean;
  /** Last accepted TOTP time step: a code is never accepted twice. */
  totpLastStep: number;
  createdAt: Date;
}

export type UserPatch = Partial<Pick<UserRecord, 'passwordHash' | 'isAdmin' | 'disabled' | 'totpSecret' | 'totpEnabled' | 'totpLastStep' | 'displayName'>>;

/** A browser session; the cookie carries the secret, the store only its SHA-256. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
}

/** An API token for scripts (`Authorization: Bearer`); shown once, stored as SHA-256. */
export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A one-time link: an invitation to create an account, or the first administrator's set-up link. */
export interface InvitationRecord {
  hash: string;
  kind: 'invite' | 'setup';
  /** The address the invitation is for (null for the set-up link: the admin chooses). */
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  /** The incident the invited person joins on accepting, with their role (invited from a Members tab); absent or null: none. */
  incidentId?: string | null;
  incidentRole?: IncidentRole | null;
}

export interface MembershipRecord {
  incidentId: string;
  userId: string;
  role: IncidentRole;
  grantedBy: string | null;
  grantedAt: Date;
}

/** Failed logins under one key (an account or an address). */
export interface ThrottleRecord {
  key: string;
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

/** How failed logins under one key are limited: see LoginThrottle. */
export interface ThrottlePolicy {
  /** Failures before the first block. */
  freeFailures: number;
  baseBlockMs: number;
  maxBlockMs: number;
  /** A quiet spell this long forgives past failures. */
  forgetAfterMs: number;
}

/** An attempt reserved (it may check the password), or refused because the key is blocked. */
export type ThrottleReservation = { ok: true; failures: number } | { ok: false; blockedUntil: Date };

/**
 * The block that follows the `failures`-th failure: none for the free ones, then base·2^k
 * (k = 0, 1, 2 …) up to the maximum. The PostgreSQL store computes the same in SQL.
 */
export function throttleBlockMs(failures: number, p: ThrottlePolicy): number {
  const over = failures - p.freeFailures;
  return over >= 0 ? Math.min(p.maxBlockMs, p.baseBlockMs * 2 ** Math.min(over, 20)) : 0;
}

export interface AuditRecord {
  id: number;
  at: Date;
  /** User id, or null when nobody is authenticated (a failed login). */
  actor: string | null;
  action: string;
  incidentId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}
export type NewAuditRecord = Omit<AuditRecord, 'id'>;

export interface AuditQuery {
  incidentId?: string;
  afterId: number;
  limit: number;
}

/** Raised by createUser when the e-mail is taken. */
export class DuplicateAccountError extends Error {
  constructor(email: string) {
    super(`an account with ${email} exists`);
    this.name = 'DuplicateAccountError';
  }
}

/** Raised by createUser and updateUser when another account holds the display name (same displayNameKey). */
export class DuplicateNameError extends Error {
  constructor(name: string) {
    super(`the name "${name}" is already used by another account`);
    this.name = 'DuplicateNameError';
  }
}

/**
 * Durable accounts, credentials, memberships, Yjs client-id bindings, login throttling and the
 * audit trail. It lives in the same database as the journal (same SQLite file, same PostgreSQL
 * pool, same in-memory database): one thing to back up, and one set of nodes sees one set of
 * accounts. Implementations: SQLite, PostgreSQL and memory; one contract suite
 * (test/contracts/accountStore.contract.ts) runs against all three. Every promise resolves once
 * the change is committed.
 */
export interface AccountStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory';

  countUsers(): Promise<number>;
  /** Throws DuplicateAccountError when the e-mail is taken, DuplicateNameError when the display name is (shared/auth/displayName.ts). */
  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  getUserByEmail(email: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Throws DuplicateNameError when a new display name is another account's. */
  updateUser(id: string, patch: UserPatch): Promise<void>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<boolean>;
  /** Deletes every session of a user; returns their hashes (to close their sockets). */
  deleteUserSessions(userId: string): Promise<string[]>;

  createToken(token: TokenRecord): Promise<void>;
  getTokenByHash(hash: string): Promise<TokenRecord | null>;
  getToken(id: string): Promise<TokenRecord | null>;
  listTokens(userId: string): Promise<TokenRecord[]>;
  /** Marks a token revoked; false when it was unknown or already revoked. */
  revokeToken(id: string, at: Date): Promise<boolean>;
  touchToken(id: string, at: Date): Promise<void>;

  createInvitation(invitation: InvitationRecord): Promise<void>;
  getInvitation(hash: string): Promise<InvitationRecord | null>;
  /** Uses a one-time link: true for exactly one caller, and only before it expires. */
  consumeInvitation(hash: string, at: Date): Promise<boolean>;
  /** Invitations (kind `invite`) neither used nor expired at `at`, oldest first. */
  listPendingInvitations(at: Date): Promise<InvitationRecord[]>;
  /** Ends a pending invitation now (it expires at `at`); false when it was used, expired or unknown. */
  revokeInvitation(hash: string, at: Date): Promise<boolean>;

  /** Adds a member or changes the role. */
  setMembership(membership: MembershipRecord): Promise<void>;
  removeMembership(incidentId: string, userId: string): Promise<boolean>;
  getMembership(incidentId: string, userId: string): Promise<MembershipRecord | null>;
  listMembers(incidentId: string): Promise<MembershipRecord[]>;
  listMemberships(userId: string): Promise<MembershipRecord[]>;

  /**
   * Binds Yjs client ids of a document to a user, first come first served, atomically across
   * nodes; returns the owner of each id afterwards (the caller, or whoever had it).
   */
  claimClients(doc: string, clients: number[], userId: string): Promise<Map<number, string>>;
  /** Owners of the given client ids of a document; ids without an owner are absent. */
  clientOwners(doc: string, clients: number[]): Promise<Map<number, string>>;

  getThrottle(key: string): Promise<ThrottleRecord | null>;
  putThrottle(record: ThrottleRecord): Promise<void>;
  clearThrottle(key: string): Promise<void>;
  /**
   * Reserves one login attempt under `key` before its password is checked, atomically across
   * nodes: unless the key is blocked at `now`, counts the attempt as a failure (from one again
   * after a quiet `forgetAfterMs`) and sets the block that failure earns. Concurrent attempts
   * thus see each other's count, and no more of them reach the password check than the policy
   * allows, whatever the parallelism.
   */
  reserveThrottle(key: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleReservation>;
  /** Gives back a reserved attempt that did not fail; the block goes when the count is back under the free failures. */
  releaseThrottle(key: string, policy: ThrottlePolicy): Promise<void>;

  /**
   * When users last left incidents (socket left or disconnected, or said so explicitly): the
   * default start of their shift handover ("what happened since I left"). Upserts, in one
   * transaction (a network cut disconnects everyone at once). A visit never goes back in time:
   * the latest wins, whatever the order the writes (from several nodes, or racing) land in.
   */
  setLastVisits(visits: readonly LastVisit[]): Promise<void>;
  getLastVisit(incidentId: string, userId: string): Promise<Date | null>;

  /** Appends audit records in one transaction. The table refuses UPDATE and DELETE. */
  appendAudit(records: NewAuditRecord[]): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;

  close(): Promise<void>;
}
