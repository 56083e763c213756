import type { DocName } from '../../../shared/model/parts';
import { type IncidentMeta, IncidentMetaSchema } from '../../../shared/model/incident';
import type { JournalHead, JournalRecord, NewRecord, Snapshot, StoredCheckpoint } from '../documentStore';
import { GENESIS_HASH, chainBatch } from '../chain';
import { KeyedMutex } from '../keyedMutex';

/** A journal row as kept: the time in milliseconds and private copies of the bytes, like a database row. */
interface Row {
  seq: number;
  at: number;
  author: string;
  update: Uint8Array;
  hash: string;
  prevHash: string;
}

/**
 * The data of one in-memory database: journal, heads, snapshots, incidents and checkpoints, kept
 * in this process and lost with it. Several MemoryStore handles may open one database, as several
 * nodes open one PostgreSQL database: they share the journal, its gap-free seqs and hash chains,
 * and the document locks. Every operation is synchronous, so each one is a transaction by itself
 * (nothing else runs in between); values go in and out as copies, so no caller can change a
 * committed record by touching what it passed or was given.
 */
export class MemoryDatabase {
  private readonly journal = new Map<DocName, Row[]>();
  private readonly snapshots = new Map<DocName, Snapshot>();
  /** Incident metadata kept as JSON, and parsed when read, as the SQL stores do. */
  private readonly incidents = new Map<string, { meta: string; openedAt: number }>();
  private readonly checkpoints: StoredCheckpoint[] = [];
  /** The document locks of every handle: one holder at a time across the nodes of this process. */
  readonly locks = new KeyedMutex();
  /** Handles open on this database: more than one means other nodes commit to the same journal. */
  private handles = 0;

  /** Counts a handle in (MemoryStore's constructor); the returned function counts it out, once. */
  attach(): () => void {
    this.handles += 1;
    let attached = true;
    return () => {
      if (attached) this.handles -= 1;
      attached = false;
    };
  }

  get openHandles(): number {
    return this.handles;
  }

  /** Checks the whole batch, then chains and keeps it: all of it or, on a bad record, none. */
  append(doc: DocName, records: NewRecord[]): JournalRecord[] {
    records.forEach(checkRecord);
    // An empty batch leaves no trace: a document is in the heads only once it has a record.
    if (records.length === 0) return [];
    const rows = this.journal.get(doc) ?? [];
    const head = rows[rows.length - 1];
    const first = (head?.seq ?? 0) + 1;
    const chained = chainBatch(
      records.map((r, i) => ({ doc, seq: first + i, at: new Date(r.at.getTime()), author: r.author, update: copyBytes(r.update) })),
      head?.hash ?? GENESIS_HASH,
    );
    for (const r of chained) rows.push({ seq: r.seq, at: r.at.getTime(), author: r.author, update: r.update, hash: r.hash, prevHash: r.prevHash });
    this.journal.set(doc, rows);
    return chained.map((r) => ({ ...r, update: copyBytes(r.update) }));
  }

  readJournal(doc: DocName, afterSeq: number, limit: number): JournalRecord[] {
    const rows = this.journal.get(doc) ?? [];
    // Seqs are 1..n in order, so seq s sits at index s - 1.
    const start = Math.max(0, Math.floor(afterSeq));
    return rows.slice(start, start + Math.max(0, limit)).map((r) => toRecord(doc, r));
  }

  head(doc: DocName): JournalHead {
    const last = this.journal.get(doc)?.at(-1);
    return last ? { doc, seq: last.seq, hash: last.hash } : { doc, seq: 0, hash: GENESIS_HASH };
  }

  /** Documents with at least one record, in name order (the SQL stores' ORDER BY doc). */
  heads(): JournalHead[] {
    return [...this.journal.keys()].sort(compareText).map((doc) => this.head(doc));
  }

  snapshot(doc: DocName): Snapshot | null {
    const s = this.snapshots.get(doc);
    return s ? copySnapshot(s) : null;
  }

  /** The newer snapshot wins whatever the order they arrive in (two nodes may snapshot one document). */
  saveSnapshot(doc: DocName, snapshot: Snapshot): void {
    const kept = this.snapshots.get(doc);
    if (kept && kept.seq >= snapshot.seq) return;
    this.snapshots.set(doc, copySnapshot(snapshot));
  }

  /** The registry row and the first record together, or neither. */
  createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): void {
    if (this.incidents.has(meta.id)) throw new Error(`incident ${meta.id} exists`);
    checkRecord(first);
    const row = { meta: JSON.stringify(IncidentMetaSchema.parse(meta)), openedAt: Date.parse(meta.openedAt) };
    this.append(first.doc, [first]);
    this.incidents.set(meta.id, row);
  }

  /** Rewrites the summary of a registered incident; an unknown id changes nothing, like an UPDATE that matches no row. */
  updateIncident(meta: IncidentMeta): void {
    const row = this.incidents.get(meta.id);
    if (row) row.meta = JSON.stringify(IncidentMetaSchema.parse(meta));
  }

  /** Newest first, then by id. */
  listIncidents(): IncidentMeta[] {
    return [...this.incidents.entries()]
      .sort(([aId, a], [bId, b]) => b.openedAt - a.openedAt || compareText(aId, bId))
      .map(([, row]) => IncidentMetaSchema.parse(JSON.parse(row.meta)));
  }

  getIncident(id: string): IncidentMeta | null {
    const row = this.incidents.get(id);
    return row ? IncidentMetaSchema.parse(JSON.parse(row.meta)) : null;
  }

  saveCheckpoint(c: StoredCheckpoint): void {
    this.checkpoints.push(copyCheckpoint(c));
  }

  /** Oldest first: by signing time, then document (when all are listed) and seq. */
  listCheckpoints(doc?: DocName): StoredCheckpoint[] {
    const chosen = doc === undefined ? [...this.checkpoints] : this.checkpoints.filter((c) => c.doc === doc);
    return chosen.sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || compareText(a.doc, b.doc) || a.seq - b.seq).map(copyCheckpoint);
  }
}

/** What the SQL stores' NOT NULL columns and driver bindings refuse: a record the journal cannot keep. */
function checkRecord(r: NewRecord): void {
  if (typeof r.author !== 'string') throw new Error('journal record: author must be a string');
  if (!(r.at instanceof Date) || Number.isNaN(r.at.getTime())) throw new Error('journal record: at must be a valid date');
  // Not instanceof: a Buffer or a Uint8Array of another realm (a jest sandbox) is bytes too.
  if (!ArrayBuffer.isView(r.update)) throw new Error('journal record: update must be bytes');
}

function toRecord(doc: DocName, r: Row): JournalRecord {
  return { doc, seq: r.seq, at: new Date(r.at), author: r.author, update: copyBytes(r.update), hash: r.hash, prevHash: r.prevHash };
}

/** A plain Uint8Array of the viewed bytes only (Buffer#slice would share memory, a view would keep its whole backing buffer). */
function copyBytes(b: Uint8Array): Uint8Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return copy;
}

function copySnapshot(s: Snapshot): Snapshot {
  return { seq: s.seq, update: copyBytes(s.update), stateVector: copyBytes(s.stateVector) };
}

function copyCheckpoint(c: StoredCheckpoint): StoredCheckpoint {
  return { ...c, signedAt: new Date(c.signedAt.getTime()) };
}

/** Code-unit order, as the SQL stores compare text (BINARY collation, and the C locale of test databases). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
