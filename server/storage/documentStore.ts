import type { DocName } from '../../shared/model/parts';
import type { IncidentMeta } from '../../shared/model/incident';

/**
 * One accepted update as the journal keeps it: who, when (server clock) and the exact bytes,
 * sealed by a hash chained to the previous record of the same document (server/storage/chain.ts).
 */
export interface JournalRecord {
  doc: DocName;
  seq: number;
  at: Date;
  author: string;
  update: Uint8Array;
  /** sha256 (lowercase hex) over doc, seq, at, author, update and prevHash. */
  hash: string;
  /** The hash of record seq - 1; 64 zeros for seq 1. */
  prevHash: string;
}

/** Where a document's chain ends, as the store's own heads table says: seq 0 and the genesis hash when empty. */
export interface JournalHead {
  doc: DocName;
  seq: number;
  hash: string;
}

/** A signed statement "document `doc` had `seq` records ending in `head` at `signedAt`" (server/evidence/checkpoints.ts). */
export interface StoredCheckpoint {
  doc: DocName;
  seq: number;
  head: string;
  signedAt: Date;
  /** First 16 hex digits of sha256 of the raw Ed25519 public key. */
  keyId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** Ed25519 signature of the canonical checkpoint text, base64. */
  signature: string;
}

/** Records journaled before hashing existed, sealed (hashed) when the store was upgraded. */
export interface LegacySeal {
  doc: DocName;
  throughSeq: number;
  sealedAt: Date;
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
 * default), PostgreSQL, and memory (tests and in-process clusters: the same contract without
 * durability); one contract suite (test/contracts/documentStore.contract.ts) runs against all
 * three. Every promise resolves only once the data is committed.
 */
export interface DocumentStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  /** Whether other processes (nodes) commit to the same journal: only then can a room's copy lack a commit it did not make. */
  readonly shared: boolean;
  /**
   * Whether `append` commits on the caller's thread, holding the event loop until the commit is
   * on disk (SQLite without its commit thread). Rooms then gather what arrived during one turn
   * into one commit; otherwise they commit at once and gather what arrives while it is in flight.
   */
  readonly blocksOnCommit?: boolean;
  /** Appends records in one transaction with the next gap-free sequence numbers of `doc`. */
  append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]>;
  /**
   * Runs `task` while no one else holds `doc`'s lock: no other task of this process and, for
   * PostgreSQL (or handles on one in-memory database), of any node sharing the database. Holders queue in order. Rules that depend on
   * the whole history (a sealed record stays sealed) use it so that two nodes cannot each admit
   * an edit against a copy that lacks the other's latest commit.
   */
  lockDocument<T>(doc: DocName, task: () => Promise<T>): Promise<T>;
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

  /** Tamper evidence: the heads table, written in the same transaction as the journal. */
  journalHead(doc: DocName): Promise<JournalHead>;
  /** Every document's head, from the heads table (documents never written are absent). */
  journalHeads(): Promise<JournalHead[]>;
  /** Checkpoints are append-only like the journal. */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** Checkpoints of `doc` (all documents when absent), oldest first. */
  listCheckpoints(doc?: DocName): Promise<StoredCheckpoint[]>;
  legacySeals(): Promise<LegacySeal[]>;

  close(): Promise<void>;
}
