import { parseDocName, type DocName } from '../../shared/model/parts';
import type { AccountStore, LastVisit } from '../auth/accountStore';
import type { Logger } from '../logger';

/**
 * When each user last left each incident, in the account store (durable, shared by every node):
 * recorded when a socket leaves the incident's metadata document (every room joins it) or
 * disconnects, or on request (`POST /api/incidents/:id/visit`). The default `since` of a handover.
 *
 * Departures are gathered for the rest of the event loop's turn and written in one transaction:
 * a network cut or a node restart disconnects every socket at once, and one fsync'd write each,
 * on the loop that is about to take their reconnections, would hold it for a while.
 */
export class LastVisits {
  /** Departures of this turn not written yet, one per incident and user (the latest). */
  private pending = new Map<string, LastVisit>();
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly accounts: Pick<AccountStore, 'setLastVisits' | 'getLastVisit'>,
    private readonly logger: Logger,
  ) {}

  get(incidentId: string, userId: string): Promise<Date | null> {
    return this.accounts.getLastVisit(incidentId, userId);
  }

  /** An explicit visit, durable when it resolves; it supersedes a departure gathered this turn. */
  record(incidentId: string, userId: string, at: Date = new Date()): Promise<void> {
    this.pending.delete(key(incidentId, userId));
    return this.accounts.setLastVisits([{ incidentId, userId, at }]);
  }

  /** A socket left a document: a departure from the incident when it is the metadata document. */
  leftDocument(doc: DocName, userId: string): void {
    let parsed: ReturnType<typeof parseDocName>;
    try {
      parsed = parseDocName(doc);
    } catch {
      return;
    }
    if (parsed.part !== 'meta') return;
    if (this.pending.size === 0) setImmediate(() => void this.flush());
    this.pending.set(key(parsed.incidentId, userId), { incidentId: parsed.incidentId, userId, at: new Date() });
  }

  /** Writes the departures gathered so far; resolves once they (and any write before) are done. Shutdown calls it before the store closes. */
  flush(): Promise<void> {
    if (this.pending.size > 0) {
      const visits = [...this.pending.values()];
      this.pending = new Map();
      // Best effort: a lost visit only widens the next handover to the visit before.
      const write = this.accounts.setLastVisits(visits).catch((err: unknown) => this.logger.warn({ err: String(err), visits: visits.length }, 'last visits not recorded'));
      this.written = Promise.all([this.written, write]).then(() => undefined);
    }
    return this.written;
  }
}

function key(incidentId: string, userId: string): string {
  return `${incidentId}\0${userId}`;
}
