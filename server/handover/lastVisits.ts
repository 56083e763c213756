import { parseDocName, type DocName } from '../../shared/model/parts';
import type { AccountStore } from '../auth/accountStore';
import type { Logger } from '../logger';

/**
 * When each user last left each incident, in the account store (durable, shared by every node):
 * recorded when a socket leaves the incident's metadata document (every room joins it) or
 * disconnects, or on request (`POST /api/incidents/:id/visit`). The default `since` of a handover.
 */
export class LastVisits {
  constructor(
    private readonly accounts: Pick<AccountStore, 'setLastVisit' | 'getLastVisit'>,
    private readonly logger: Logger,
  ) {}

  get(incidentId: string, userId: string): Promise<Date | null> {
    return this.accounts.getLastVisit(incidentId, userId);
  }

  record(incidentId: string, userId: string, at: Date = new Date()): Promise<void> {
    return this.accounts.setLastVisit(incidentId, userId, at);
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
    // Best effort: a lost visit only widens the next handover to the visit before.
    this.record(parsed.incidentId, userId).catch((err: unknown) => this.logger.warn({ err: String(err), doc }, 'last visit not recorded'));
  }
}
