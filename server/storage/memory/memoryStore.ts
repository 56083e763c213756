import type { DocName } from '../../../shared/model/parts';
import type { IncidentMeta } from '../../../shared/model/incident';
import type { DocumentStore, JournalHead, JournalRecord, LegacySeal, NewRecord, Snapshot, StoredCheckpoint, StoredDocument } from '../documentStore';
import { StorageError, wrapStorageError } from '../storageError';
import { MemoryDatabase } from './memoryDatabase';

/**
 * A DocumentStore in this process's memory (`DATABASE_URL=memory:`, tests, in-process clusters):
 * the contract of the SQLite and PostgreSQL stores, without durability. Each store is one handle
 * on a MemoryDatabase, as each node has its own pool on one PostgreSQL database: handles opened
 * on one database share its journal, seqs, chains and document locks, and each closes on its own.
 */
export class MemoryStore implements DocumentStore {
  readonly kind = 'memory' as const;
  private readonly detach: () => void;
  private closed = false;

  /** A handle on `database`; a database of its own when none is given. */
  constructor(readonly database: MemoryDatabase = new MemoryDatabase()) {
    this.detach = database.attach();
  }

  /** Other handles open on the database commit to the same journal, so a room's copy may lag behind theirs. */
  get shared(): boolean {
    return this.database.openHandles > 1;
  }

  lockDocument<T>(doc: DocName, task: () => Promise<T>): Promise<T> {
    return this.database.locks.run(doc, async () => {
      this.ensureOpen('document locks');
      return task();
    });
  }

  async append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    if (records.length === 0) return [];
    return this.run(`append to ${doc}`, () => this.database.append(doc, records));
  }

  async load(doc: DocName): Promise<StoredDocument> {
    return this.run(`load ${doc}`, () => {
      const snapshot = this.database.snapshot(doc);
      return { snapshot, records: this.database.readJournal(doc, snapshot?.seq ?? 0, Number.MAX_SAFE_INTEGER) };
    });
  }

  async readJournal(doc: DocName, afterSeq: number, limit = Number.MAX_SAFE_INTEGER): Promise<JournalRecord[]> {
    return this.run(`read ${doc}`, () => this.database.readJournal(doc, afterSeq, limit));
  }

  async headSeq(doc: DocName): Promise<number> {
    return this.run(`head of ${doc}`, () => this.database.head(doc).seq);
  }

  async saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    this.run(`snapshot ${doc}`, () => this.database.saveSnapshot(doc, snapshot));
  }

  async createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): Promise<void> {
    this.run(`create incident ${meta.id}`, () => this.database.createIncident(meta, first));
  }

  async updateIncidentSummary(meta: IncidentMeta): Promise<void> {
    this.run(`update incident ${meta.id}`, () => this.database.updateIncident(meta));
  }

  async listIncidents(): Promise<IncidentMeta[]> {
    return this.run('list incidents', () => this.database.listIncidents());
  }

  async getIncident(id: string): Promise<IncidentMeta | null> {
    return this.run(`read incident ${id}`, () => this.database.getIncident(id));
  }

  async journalHead(doc: DocName): Promise<JournalHead> {
    return this.run(`head of ${doc}`, () => this.database.head(doc));
  }

  async journalHeads(): Promise<JournalHead[]> {
    return this.run('journal heads', () => this.database.heads());
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.run('save checkpoint', () => this.database.saveCheckpoint(checkpoint));
  }

  async listCheckpoints(doc?: DocName): Promise<StoredCheckpoint[]> {
    return this.run('list checkpoints', () => this.database.listCheckpoints(doc));
  }

  /** Nothing was ever journaled here before hashing existed. */
  async legacySeals(): Promise<LegacySeal[]> {
    this.ensureOpen('legacy seals');
    return [];
  }

  /** Closes this handle only: the database lives on for the other handles (and is dropped with the last reference). */
  async close(): Promise<void> {
    this.closed = true;
    this.detach();
  }

  /** Throws once the handle is closed, as a closed connection would; used by the account store on the same database too. */
  ensureOpen(action: string): void {
    if (this.closed) throw new StorageError(`${action}: the memory store is closed`);
  }

  /** One synchronous operation on the database: a transaction by itself. Its failure is reported as the SQL stores report theirs. */
  private run<T>(action: string, operation: () => T): T {
    this.ensureOpen(action);
    try {
      return operation();
    } catch (err) {
      throw wrapStorageError(action, err);
    }
  }
}
