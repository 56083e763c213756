import type { SessionEndCode } from '../../shared/protocol/errors';

/**
 * Tells whoever holds open connections (the socket layer) that a credential, a user or a
 * membership stopped being valid (with the code the client is told), so those connections close at once on this node. Other
 * nodes find out on their periodic re-check (AUTH_RECHECK_SECONDS).
 */
export type Revocation =
  | { kind: 'credential'; credential: string; code: SessionEndCode; reason: string }
  | { kind: 'user'; userId: string; code: SessionEndCode; reason: string }
  | { kind: 'membership'; userId: string; incidentId: string; code: SessionEndCode; reason: string }
  /** The user's role in the incident no longer reads report drafts: their sockets move to the published view. */
  | { kind: 'readRights'; userId: string; incidentId: string; reason: string };

export class Revocations {
  private readonly listeners = new Set<(r: Revocation) => void>();

  on(listener: (r: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(r: Revocation): void {
    for (const l of this.listeners) l(r);
  }
}
