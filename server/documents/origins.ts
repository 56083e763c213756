/**
 * Every Yjs transaction on a server document carries one of these origins, so the room knows
 * what to journal and what to publish: only authored changes (a client's update, a server-side
 * write on someone's behalf) are journaled; what came from the journal or another node is not.
 */
export class AuthoredOrigin {
  constructor(
    readonly author: string,
    /** The socket session that sent it, to skip it when broadcasting; null for REST/server writes. */
    readonly sessionId: string | null,
  ) {}
}

export const LOAD_ORIGIN = Symbol('load');
export const REMOTE_ORIGIN = Symbol('remote');
