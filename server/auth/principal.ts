import type { UserRecord } from './accountStore';

/**
 * What a request or a socket knows of its user: who it is and the flags the UI shows. Never the
 * password hash or the TOTP secret, which would otherwise sit in memory for every open socket
 * (thousands of copies on a busy node) though only the login and TOTP routes, which read the
 * account afresh, need them.
 */
export type PrincipalUser = Pick<UserRecord, 'id' | 'email' | 'displayName' | 'isAdmin' | 'disabled' | 'totpEnabled'>;

export function principalUser(u: PrincipalUser): PrincipalUser {
  return { id: u.id, email: u.email, displayName: u.displayName, isAdmin: u.isAdmin, disabled: u.disabled, totpEnabled: u.totpEnabled };
}

/** Who is behind a request or a socket, as established by a session cookie or an API token. */
export interface Principal {
  user: PrincipalUser;
  via: 'session' | 'token';
  /**
   * The credential's key: the session's hash or the token's id. Logging out or revoking closes
   * the sockets opened with that credential, and only those.
   */
  credential: string;
  expiresAt: Date | null;
}

/** The author recorded in the journal for a user's accepted updates: the stable user id. */
export function journalAuthor(p: Principal): string {
  return p.user.id;
}
