import type { UserRecord } from './accountStore';

/** Who is behind a request or a socket, as established by a session cookie or an API token. */
export interface Principal {
  user: UserRecord;
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
