import Database from 'better-sqlite3';
import type { DocName } from '../../../shared/model/parts';
import { IncidentMeta, IncidentMetaSchema } from '../../../shared/model/incident';
import { ownerOnlyDatabaseFile } from './fileMode';
import { KeyedMutex } from '../keyedMutex';
import type { DocumentStore, JournalHead, JournalRecord, LegacySeal, NewRecord, Snapshot, StoredCheckpoint, StoredDocument } from '../documentStore';
import { GENESIS_HASH, recordHash } from '../chain';
import { migrateSqlite } from './schemaVersion';
import type { SchemaReport } from '../migrations/schemaVersions';
import { wrapStorageError } from '../storageError';
import { type CommitRow, JournalCommitThread } from './journalCommitThread';
import { SqliteSnapshots } from './sqliteSnapshots';
import { bytesOf } from '../driverBytes';

interface JournalRow {
  doc: string;
  seq: number;
  at: number;
  author: string;
  update_bytes: Buffer;
  hash: Buffer;
  prev_hash: Buffer;
}

interface CheckpointRow {
  doc: string;
  seq: number;
  head: Buffer;
  signed_at: number;
  key_id: string;
  public_key: Buffer;
  signature: Buffer;
}

/** How journal appends are committed. */
export interface SqliteStoreOptions {
  /**
   * On a worker thread (journalCommitThread.ts), so the event loop runs on during the fsync: what
   * the server uses. Without it (tools, tests of the store itself) appends commit on the caller's thread.
   */
  commitThread?: boolean;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit survives
 * power loss. Each append is one transaction; rooms batch into one append whatever arrives
 * while their previous commit runs (group commit).
 */
export class SqliteStore implements DocumentStore {
  /** One process owns the file, so an in-process queue is the whole lock. */
  private readonly locks = new KeyedMutex();

  lockDocument<T>(doc: DocName, task: () => Promise<T>): Promise<T> {
    return this.locks.run(doc, task);
  }

  readonly kind = 'sqlite' as const;
  readonly shared = false;
  private readonly db: Database.Database;
  /** Last seq and hash of each document: this process is the file's only writer. */
  private readonly heads = new Map<string, { seq: number; hash: string }>();
  private readonly stmts;
  private readonly snapshots: SqliteSnapshots;
  /** What opening did to the schema (the account tables included: one version per file). */
  readonly schema: SchemaReport;

  private readonly commits: JournalCommitThread | null;
  /** Per document, the append in flight: the next one chains to its head, so it waits for it. */
  private readonly appending = new Map<string, Promise<unknown>>();

  readonly blocksOnCommit: boolean;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    ownerOnlyDatabaseFile(file);
    // An in-memory database is this connection's alone: no thread could reach it.
    this.commits = options.commitThread && file !== ':memory:' ? new JournalCommitThread(file) : null;
    this.blocksOnCommit = this.commits === null;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    try {
      this.schema = migrateSqlite(this.db, new Date());
    } catch (err) {
      // A refused schema (too new) leaves nothing open behind it.
      this.db.close();
      throw err;
    }
    this.snapshots = new SqliteSnapshots(this.db);
    this.stmts = {
      head: this.db.prepare<[string], { seq: number; hash: Buffer }>('SELECT seq, hash FROM doc_heads WHERE doc = ?'),
      heads: this.db.prepare<[], { doc: string; seq: number; hash: Buffer }>('SELECT doc, seq, hash FROM doc_heads ORDER BY doc'),
      setHead: this.db.prepare('INSERT INTO doc_heads (doc, seq, hash) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, hash = excluded.hash'),
      insert: this.db.prepare('INSERT INTO journal (doc, seq, at, author, update_bytes, hash, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      after: this.db.prepare<[string, number, number], JournalRow>('SELECT * FROM journal WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?'),
      insertIncident: this.db.prepare('INSERT INTO incidents (id, meta, opened_at) VALUES (?, ?, ?)'),
      updateIncident: this.db.prepare('UPDATE incidents SET meta = ? WHERE id = ?'),
      listIncidents: this.db.prepare<[], { meta: string }>('SELECT meta FROM incidents ORDER BY opened_at DESC, id'),
      getIncident: this.db.prepare<[string], { meta: string }>('SELECT meta FROM incidents WHERE id = ?'),
      insertCheckpoint: this.db.prepare('INSERT INTO checkpoints (doc, seq, head, signed_at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      checkpointsOf: this.db.prepare<[string], CheckpointRow>('SELECT * FROM checkpoints WHERE doc = ? ORDER BY signed_at, seq'),
      allCheckpoints: this.db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY signed_at, doc, seq'),
      legacySeals: this.db.prepare<[], { doc: string; through_seq: number; sealed_at: number }>('SELECT * FROM legacy_seals ORDER BY doc'),
    };
  }

  /** Inserts the records chained to the current head and moves the head, inside the caller's transaction. */
  private appendSync(doc: DocName, records: NewRecord[]): JournalRecord[] {
    let { seq, hash: prevHash } = this.head(doc);
    const out: JournalRecord[] = [];
    for (const r of records) {
      seq += 1;
      const record = { doc, seq, at: r.at, author: r.author, update: r.update };
      const hash = recordHash(record, prevHash);
      this.stmts.insert.run(doc, seq, r.at.getTime(), r.author, r.update, Buffer.from(hash, 'hex'), Buffer.from(prevHash, 'hex'));
      out.push({ ...record, hash, prevHash });
      prevHash = hash;
    }
    this.stmts.setHead.run(doc, seq, Buffer.from(prevHash, 'hex'));
    return out;
  }

  async append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    if (records.length === 0) return [];
    if (this.commits) return this.appendOnThread(this.commits, doc, records);
    const tx = this.db.transaction(() => this.appendSync(doc, records));
    try {
      const out = tx();
      const last = out[out.length - 1]!;
      this.heads.set(doc, { seq: last.seq, hash: last.hash });
      return out;
    } catch (err) {
      this.heads.delete(doc);
      throw wrapStorageError(`append to ${doc}`, err);
    }
  }

  /** Chains the records to the head here, commits them on the thread; appends to one document run one after the other. */
  private appendOnThread(commits: JournalCommitThread, doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    const previous = this.appending.get(doc) ?? Promise.resolve();
    const run = previous.then(async () => {
      let { seq, hash: prevHash } = this.head(doc);
      const out: JournalRecord[] = [];
      const rows: CommitRow[] = [];
      for (const r of records) {
        seq += 1;
        const record = { doc, seq, at: r.at, author: r.author, update: r.update };
        const hash = recordHash(record, prevHash);
        rows.push({ seq, at: r.at.getTime(), author: r.author, update: r.update, hash: Buffer.from(hash, 'hex'), prevHash: Buffer.from(prevHash, 'hex') });
        out.push({ ...record, hash, prevHash });
        prevHash = hash;
      }
      const last = out[out.length - 1]!;
      try {
        await commits.commit(doc, rows);
      } catch (err) {
        this.heads.delete(doc);
        // A thread that died after COMMIT but before answering: the file says it is there.
        if ((await this.journalHead(doc)).hash !== last.hash) throw wrapStorageError(`append to ${doc}`, err);
      }
      this.heads.set(doc, { seq: last.seq, hash: last.hash });
      return out;
    });
    const settled = run.catch(() => undefined);
    this.appending.set(doc, settled);
    void settled.then(() => {
      if (this.appending.get(doc) === settled) this.appending.delete(doc);
    });
    return run;
  }

  async load(doc: DocName): Promise<StoredDocument> {
    const snapshot = this.snapshots.read(doc);
    const records = await this.readJournal(doc, snapshot?.seq ?? 0);
    return { snapshot, records };
  }

  async readJournal(doc: DocName, afterSeq: number, limit = Number.MAX_SAFE_INTEGER): Promise<JournalRecord[]> {
    return this.stmts.after.all(doc, afterSeq, limit).map(toRecord);
  }

  async headSeq(doc: DocName): Promise<number> {
    return this.head(doc).seq;
  }

  async journalHead(doc: DocName): Promise<JournalHead> {
    const row = this.stmts.head.get(doc);
    return row ? { doc, seq: row.seq, hash: row.hash.toString('hex') } : { doc, seq: 0, hash: GENESIS_HASH };
  }

  async journalHeads(): Promise<JournalHead[]> {
    return this.stmts.heads.all().map((r) => ({ doc: r.doc as DocName, seq: r.seq, hash: r.hash.toString('hex') }));
  }

  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    this.stmts.insertCheckpoint.run(c.doc, c.seq, Buffer.from(c.head, 'hex'), c.signedAt.getTime(), c.keyId, Buffer.from(c.publicKey, 'base64'), Buffer.from(c.signature, 'base64'));
  }

  async listCheckpoints(doc?: DocName): Promise<StoredCheckpoint[]> {
    const rows = doc === undefined ? this.stmts.allCheckpoints.all() : this.stmts.checkpointsOf.all(doc);
    return rows.map(toCheckpoint);
  }

  async legacySeals(): Promise<LegacySeal[]> {
    return this.stmts.legacySeals.all().map((r) => ({ doc: r.doc as DocName, throughSeq: r.through_seq, sealedAt: new Date(r.sealed_at) }));
  }

  saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    return this.snapshots.save(doc, snapshot);
  }

  async createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): Promise<void> {
    try {
      // IMMEDIATE, as every write transaction on this connection: the commit thread writes to the same file.
      this.db.transaction(() => {
        this.stmts.insertIncident.run(meta.id, JSON.stringify(meta), meta.openedAt);
        const [record] = this.appendSync(first.doc, [first]);
        this.heads.set(first.doc, { seq: record!.seq, hash: record!.hash });
      }).immediate();
    } catch (err) {
      this.heads.delete(first.doc);
      throw wrapStorageError(`create incident ${meta.id}`, err);
    }
  }

  async updateIncidentSummary(meta: IncidentMeta): Promise<void> {
    this.stmts.updateIncident.run(JSON.stringify(meta), meta.id);
  }

  async listIncidents(): Promise<IncidentMeta[]> {
    return this.stmts.listIncidents.all().map((r) => IncidentMetaSchema.parse(JSON.parse(r.meta)));
  }

  async getIncident(id: string): Promise<IncidentMeta | null> {
    const row = this.stmts.getIncident.get(id);
    return row ? IncidentMetaSchema.parse(JSON.parse(row.meta)) : null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.appending.values()]);
    await this.snapshots.settled();
    await this.commits?.close();
    if (this.db.open) this.db.close();
  }

  /** The connection, for the account store that lives in the same file (server/auth); this store still closes it. */
  sharedConnection(): Database.Database {
    return this.db;
  }

  private head(doc: DocName): { seq: number; hash: string } {
    const cached = this.heads.get(doc);
    if (cached !== undefined) return cached;
    const row = this.stmts.head.get(doc);
    const head = row ? { seq: row.seq, hash: row.hash.toString('hex') } : { seq: 0, hash: GENESIS_HASH };
    this.heads.set(doc, head);
    return head;
  }
}

function toRecord(row: JournalRow): JournalRecord {
  return {
    doc: row.doc as DocName,
    seq: row.seq,
    at: new Date(row.at),
    author: row.author,
    update: bytesOf(row.update_bytes),
    // A row an insider emptied reads as an impossible hash, which verification reports.
    hash: row.hash ? row.hash.toString('hex') : '',
    prevHash: row.prev_hash ? row.prev_hash.toString('hex') : '',
  };
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    doc: row.doc as DocName,
    seq: row.seq,
    head: row.head.toString('hex'),
    signedAt: new Date(row.signed_at),
    keyId: row.key_id,
    publicKey: row.public_key.toString('base64'),
    signature: row.signature.toString('base64'),
  };
}
