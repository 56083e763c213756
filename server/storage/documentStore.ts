import type { DocName } from '../../shared/model/parts';
import type { IncidentMeta } from '../../shared/model/incident';

/** One accepted update as the journal keeps it: who, when (server clock) and the exact bytes. */
export interface JournalRecord {
  doc: DocName;
  seq: number;
  at: Date;
  author: string;
  update: Uint8Array;
}

export interface NewRecord {
  author: string;
  at: Date;
  update: Uint8Array;
}

export interface Snapshot {
  seq: number;
  update: Uint8Array;
  stateVector: Uint8Array;
}

/** What a room needs to come back to life: the latest snapshot and the journal after it. */
export interface StoredDocument {
  snapshot: Snapshot | null;
  records: JournalRecord[];
}

/**
 * Durable storage of documents and the incident registry. Implementations: SQLite (embedded
 * default) and PostgreSQL; one contract suite (test/contracts/documentStore.contract.ts) runs
 * against both. Every promise resolves only once the data is committed.
 */
export interface DocumentStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Appends records in one transaction with the next gap-free sequence numbers of `doc`. */
  append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]>;
  load(doc: DocName): Promise<StoredDocument>;
  /** Journal records with seq > afterSeq, in order, at most `limit`. */
  readJournal(doc: DocName, afterSeq: number, limit?: number): Promise<JournalRecord[]>;
  headSeq(doc: DocName): Promise<number>;
  /** Keeps a snapshot of the document as of `seq`; older snapshots may be dropped, the journal never. */
  saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void>;

  /** Registers an incident and journals its first metadata update, atomically. */
  createIncident(meta: IncidentMeta, firstRecord: { doc: DocName } & NewRecord): Promise<void>;
  updateIncidentSummary(meta: IncidentMeta): Promise<void>;
  listIncidents(): Promise<IncidentMeta[]>;
  getIncident(id: string): Promise<IncidentMeta | null>;

  close(): Promise<void>;
}
