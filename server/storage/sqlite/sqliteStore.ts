import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocName } from '../../../shared/model/parts';
import { IncidentMeta, IncidentMetaSchema } from '../../../shared/model/incident';
import type { DocumentStore, JournalRecord, NewRecord, Snapshot, StoredDocument } from '../documentStore';
import { SQLITE_SCHEMA } from './schema';
import { wrapStorageError } from '../storageError';

interface JournalRow {
  doc: string;
  seq: number;
  at: number;
  author: string;
  update_bytes: Buffer;
}

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit survives
 * power loss. better-sqlite3 is synchronous; each append is one transaction, and rooms batch
 * the updates of one event-loop turn into one append (group commit).
 */
export class SqliteStore implements DocumentStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly heads = new Map<string, number>();
  private readonly stmts;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SQLITE_SCHEMA);
    this.stmts = {
      head: this.db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM journal WHERE doc = ?'),
      insert: this.db.prepare('INSERT INTO journal (doc, seq, at, author, update_bytes) VALUES (?, ?, ?, ?, ?)'),
      after: this.db.prepare<[string, number, number], JournalRow>('SELECT * FROM journal WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?'),
      snapshot: this.db.prepare<[string], { seq: number; update_bytes: Buffer; state_vector: Buffer }>('SELECT seq, update_bytes, state_vector FROM snapshots WHERE doc = ?'),
      saveSnapshot: this.db.prepare('INSERT INTO snapshots (doc, seq, update_bytes, state_vector) VALUES (?, ?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, update_bytes = excluded.update_bytes, state_vector = excluded.state_vector WHERE excluded.seq > snapshots.seq'),
      insertIncident: this.db.prepare('INSERT INTO incidents (id, meta, opened_at) VALUES (?, ?, ?)'),
      updateIncident: this.db.prepare('UPDATE incidents SET meta = ? WHERE id = ?'),
      listIncidents: this.db.prepare<[], { meta: string }>('SELECT meta FROM incidents ORDER BY opened_at DESC, id'),
      getIncident: this.db.prepare<[string], { meta: string }>('SELECT meta FROM incidents WHERE id = ?'),
    };
  }

  private appendSync(doc: DocName, records: NewRecord[]): JournalRecord[] {
    let seq = this.head(doc);
    const out: JournalRecord[] = [];
    for (const r of records) {
      seq += 1;
      this.stmts.insert.run(doc, seq, r.at.getTime(), r.author, r.update);
      out.push({ doc, seq, at: r.at, author: r.author, update: r.update });
    }
    return out;
  }

  async append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    if (records.length === 0) return [];
    const tx = this.db.transaction(() => this.appendSync(doc, records));
    try {
      const out = tx();
      this.heads.set(doc, out[out.length - 1]!.seq);
      return out;
    } catch (err) {
      this.heads.delete(doc);
      throw wrapStorageError(`append to ${doc}`, err);
    }
  }

  async load(doc: DocName): Promise<StoredDocument> {
    const snap = this.stmts.snapshot.get(doc);
    const snapshot: Snapshot | null = snap ? { seq: snap.seq, update: view(snap.update_bytes), stateVector: view(snap.state_vector) } : null;
    const records = await this.readJournal(doc, snapshot?.seq ?? 0);
    return { snapshot, records };
  }

  async readJournal(doc: DocName, afterSeq: number, limit = Number.MAX_SAFE_INTEGER): Promise<JournalRecord[]> {
    return this.stmts.after.all(doc, afterSeq, limit).map(toRecord);
  }

  async headSeq(doc: DocName): Promise<number> {
    return this.head(doc);
  }

  async saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    this.stmts.saveSnapshot.run(doc, snapshot.seq, snapshot.update, snapshot.stateVector);
  }

  async createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): Promise<void> {
    try {
      this.db.transaction(() => {
        this.stmts.insertIncident.run(meta.id, JSON.stringify(meta), meta.openedAt);
        this.heads.set(first.doc, this.appendSync(first.doc, [first])[0]!.seq);
      })();
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
    if (this.db.open) this.db.close();
  }

  /** The connection, for the account store that lives in the same file (server/auth); this store still closes it. */
  sharedConnection(): Database.Database {
    return this.db;
  }

  private head(doc: DocName): number {
    const cached = this.heads.get(doc);
    if (cached !== undefined) return cached;
    const seq = this.stmts.head.get(doc)?.seq ?? 0;
    this.heads.set(doc, seq);
    return seq;
  }
}

function toRecord(row: JournalRow): JournalRecord {
  return { doc: row.doc as DocName, seq: row.seq, at: new Date(row.at), author: row.author, update: view(row.update_bytes) };
}

/** A plain Uint8Array over the driver's Buffer (Buffer.slice shares memory; Uint8Array.slice copies). */
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
