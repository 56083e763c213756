import type { AccountStore, AuditQuery, AuditRecord, NewAuditRecord } from '../auth/accountStore';
import type { Logger } from '../logger';
import type { AuthAuditAction, AuthAuditEntry } from '../auth/auditSink';

/**
 * Actions written to the audit trail (see docs/SECURITY.md): those of accounts and credentials,
 * declared beside them (server/auth/auditSink.ts), and those of incidents and their documents.
 */
export type AuditAction =
  | AuthAuditAction
  | 'incident.create'
  | 'member.set'
  | 'member.remove'
  | 'join'
  | 'join.refused'
  | 'update.refused'
  | 'update.refused.more'
  | 'rate.limited';

export interface AuditEntry extends Omit<AuthAuditEntry, 'action'> {
  action: AuditAction;
}

const FLUSH_MS = 100;
const FLUSH_COUNT = 500;
/** Past this many unwritten entries (database down, flood), new ones are counted and dropped, not kept in memory. */
const MAX_BUFFERED = 20_000;

/**
 * The append-only audit trail. Entries are stamped on the server's clock when they happen and
 * written in batches (one transaction per 100 ms at most), so a flood of refused messages costs
 * one commit, not thousands; a failed write is retried with the next batch.
 */
export class AuditLog {
  private buffer: NewAuditRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly store: AccountStore,
    private readonly logger: Logger,
  ) {}

  record(entry: AuditEntry): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped += 1;
      return;
    }
    this.buffer.push({
      at: new Date(),
      actor: entry.actor,
      action: entry.action,
      incidentId: entry.incidentId ?? null,
      ip: entry.ip ?? null,
      detail: entry.detail ?? null,
    });
    if (this.buffer.length >= FLUSH_COUNT) void this.flush();
    else if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves once it is committed (or failed and kept for the next try). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.writing) await this.writing;
    if (this.buffer.length === 0 && this.dropped === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    if (this.dropped > 0) {
      batch.push({ at: new Date(), actor: null, action: 'update.refused.more', incidentId: null, ip: null, detail: { droppedAuditEntries: this.dropped } });
      this.dropped = 0;
    }
    this.writing = this.store.appendAudit(batch).then(
      () => undefined,
      (err: unknown) => {
        this.logger.warn({ err: String(err), entries: batch.length }, 'audit write failed; retrying with the next batch');
        this.buffer = [...batch, ...this.buffer].slice(0, MAX_BUFFERED);
        if (!this.closed && !this.timer) {
          this.timer = setTimeout(() => void this.flush(), 1_000);
          this.timer.unref();
        }
      },
    );
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    return this.store.listAudit(query);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
