import * as Y from 'yjs';
import { EncodedLogEntrySchema, LogEntry, LogEntryInputSchema, LogEntryInput, LogEntrySchema, encodeLogEntry } from '../model/log';
import { newId } from '../model/ids';
import { quickParse, quickParser } from '../model/quickParse';
import { ROOTS } from '../model/parts';
import { clientsThatMayHaveAdded, transactLocalNoted } from './notedClients';
import { EncodedVerificationRecordSchema, VERIFICATIONS_ROOT, VerificationRecord, VerificationRecordSchema, encodeVerificationRecord } from '../model/verification';
import type { Verification } from '../model/log';

/** The entry reader: zod's verdict, answered without zod's walk for a valid entry (a cold start reads 100,000). */
const readEncodedEntry = quickParser(EncodedLogEntrySchema);

/**
 * Typed view of the log part: a Y.Array of immutable entries, each one JSON string (one Yjs
 * item each, the representation that keeps 100,000 entries light). Parsed entries are cached
 * by their string, so a read after a change costs a walk of the array, not a re-parse of all.
 */
export class LogDoc {
  readonly array: Y.Array<unknown>;
  /** Append-only verification records (shared/model/verification.ts), the log's second root. */
  readonly verificationArray: Y.Array<unknown>;
  private readonly parsed = new Map<string, LogEntry>();
  private readonly parsedRecords = new Map<string, VerificationRecord>();
  /**
   * Entry id → its records, oldest first, for the root's length when built. The root is
   * append-only (the guard refuses deletes), so a new length is the only sign of a change; no
   * observer, so a short-lived view (the server makes one per request) leaves nothing behind.
   */
  private byEntry: { length: number; map: Map<string, VerificationRecord[]> } | null = null;

  constructor(readonly doc: Y.Doc) {
    this.array = doc.getArray<unknown>(ROOTS.log);
    this.verificationArray = doc.getArray<unknown>(VERIFICATIONS_ROOT);
  }

  /** Every valid verification record, in document order. */
  verificationRecords(): VerificationRecord[] {
    const out: VerificationRecord[] = [];
    for (const raw of this.verificationArray.toArray()) {
      if (typeof raw !== 'string') continue;
      let record = this.parsedRecords.get(raw);
      if (!record) {
        const result = EncodedVerificationRecordSchema.safeParse(raw);
        if (!result.success) continue;
        record = result.data;
        this.parsedRecords.set(raw, record);
      }
      out.push(record);
    }
    return out;
  }

  /**
   * The verification history of an entry, oldest first: ordered by `at` as a time (server-corrected
   * clock; the server refuses times in its future), then document order, so a change made offline and sent later still sits at its time.
   */
  verificationHistory(entryId: string): VerificationRecord[] {
    if (this.byEntry?.length !== this.verificationArray.length) {
      const map = new Map<string, VerificationRecord[]>();
      const all = this.verificationRecords().map((r, i) => ({ r, i }));
      // As times, not strings: "…T10:00Z" and "…T10:00:00.000+02:00" compare wrongly as text.
      const ms = (r: VerificationRecord) => Date.parse(r.at);
      all.sort((a, b) => ms(a.r) - ms(b.r) || a.i - b.i);
      for (const { r } of all) {
        const list = map.get(r.entryId);
        if (list) list.push(r);
        else map.set(r.entryId, [r]);
      }
      this.byEntry = { length: this.verificationArray.length, map };
    }
    return this.byEntry.map.get(entryId) ?? [];
  }

  /** The entry's current verification state: its last record's, or the entry's own field. */
  currentVerification(entry: LogEntry): Verification {
    const history = this.verificationHistory(entry.id);
    return history.length > 0 ? history[history.length - 1]!.state : entry.verification;
  }

  /**
   * The `at` of a new record of this entry: `now`, but never at or before the latest record
   * this document already holds for it. The history is ordered by `at`, and `now` is each
   * writer's own estimate of the server's clock (off by up to half its join round trip), so a
   * change made after seeing another could otherwise sort before it, and the entry's current
   * state would be the older one on every screen. Concurrent changes (neither writer saw the
   * other's, e.g. offline) keep their own times.
   */
  nextVerificationAt(entryId: string, now: Date): string {
    const last = this.verificationHistory(entryId).at(-1);
    const floor = last ? Date.parse(last.at) + 1 : -Infinity;
    return new Date(Math.max(now.getTime(), floor)).toISOString();
  }

  /** Appends a verification record (checked). */
  addVerification(record: VerificationRecord): VerificationRecord {
    const checked = VerificationRecordSchema.parse(record);
    this.verificationArray.insert(this.verificationArray.length, [encodeVerificationRecord(checked)]);
    return checked;
  }

  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    for (const raw of this.array.toArray()) {
      const entry = this.parse(raw);
      if (entry) out.push(entry);
    }
    return out;
  }

  get length(): number {
    return this.array.length;
  }

  /**
   * Parses the entries not parsed yet, `slice` at a time, awaiting `pause` between slices (none
   * when everything is parsed already): a server reading a large log for the first time keeps
   * its event loop turning meanwhile, and `entries()` then finds them all parsed.
   */
  async parseAhead(slice: number, pause: () => Promise<void>): Promise<void> {
    const raws = this.array.toArray();
    let parsedSincePause = 0;
    for (const raw of raws) {
      if (typeof raw !== 'string' || this.parsed.has(raw)) continue;
      if (parsedSincePause >= slice) {
        await pause();
        parsedSincePause = 0;
      }
      this.parse(raw);
      parsedSincePause++;
    }
  }

  find(id: string): LogEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  append(entry: LogEntry): LogEntry {
    const checked = quickParse(LogEntrySchema, entry);
    // insert-at-length uses Yjs's search markers; push walks the list from its start each time.
    transactLocalNoted(this.doc, () => this.array.insert(this.array.length, [encodeLogEntry(checked)]));
    return checked;
  }

  /** Calls `listener` after every change of the log, local or remote. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.array.observe(handler);
    this.verificationArray.observe(handler);
    return () => {
      this.array.unobserve(handler);
      this.verificationArray.unobserve(handler);
    };
  }

  /**
   * Calls `listener` with the entries each transaction added and where each sits (its Yjs id,
   * for `countBefore`), found from the transaction's state vectors: O(new entries), where
   * Y.YEvent.changes walks the whole array.
   */
  onAppended(listener: (entries: LogEntry[], origin: unknown, ids: Y.ID[]) => void): () => void {
    return observeAppended(this.array, (values, origin, ids) => {
      const added: LogEntry[] = [];
      const addedIds: Y.ID[] = [];
      values.forEach((raw, i) => {
        const entry = this.parse(raw);
        if (!entry) return;
        added.push(entry);
        addedIds.push(ids[i]!);
      });
      if (added.length > 0) listener(added, origin, addedIds);
    });
  }

  /**
   * How many of `others` come before `entry` in the document, `where` being the Yjs id
   * `onAppended` gave with it; null when that is no longer an entry of the log. The log's order
   * is time of writing, then document order: two entries written in the same millisecond by two
   * writers arrive in either order, but sit in one order in every replica. Walks outwards from
   * `entry` both ways at once, so it costs the distance to the farthest of `others`: entries of
   * one millisecond sit side by side.
   */
  countBefore(entry: LogEntry, where: Y.ID, others: readonly LogEntry[]): number | null {
    if (others.length === 0) return 0;
    const item = Y.getItem(this.doc.store, where);
    if (!(item instanceof Y.Item) || item.deleted || item.parent !== this.array || !(item.content instanceof Y.ContentAny)) return null;
    const wanted = new Set(others);
    let found = 0;
    let before = 0;
    const visit = (values: unknown[], from: number, to: number, onLeft: boolean) => {
      for (let i = from; i < to && found < wanted.size; i++) {
        const raw = values[i];
        const other = typeof raw === 'string' ? this.parsed.get(raw) : undefined;
        if (other === undefined || other === entry || !wanted.has(other)) continue;
        found++;
        if (onLeft) before++;
      }
    };
    const own = item.content.getContent();
    const offset = where.clock - item.id.clock;
    visit(own, 0, offset, true);
    visit(own, offset + 1, own.length, false);
    let left = item.left;
    let right = item.right;
    while (found < wanted.size && (left || right)) {
      if (left) {
        if (!left.deleted && left.content instanceof Y.ContentAny) visit(left.content.getContent(), 0, left.length, true);
        left = left.left;
      }
      if (right) {
        if (!right.deleted && right.content instanceof Y.ContentAny) visit(right.content.getContent(), 0, right.length, false);
        right = right.right;
      }
    }
    return before;
  }

  private parse(raw: unknown): LogEntry | null {
    if (typeof raw !== 'string') return null;
    const cached = this.parsed.get(raw);
    if (cached) return cached;
    const result = readEncodedEntry(raw);
    if (!result.success) return null;
    this.parsed.set(raw, result.data);
    return result.data;
  }
}

/** Builds a complete entry from what a writer typed; `now` is the server-corrected clock. */
export function buildLogEntry(input: LogEntryInput, author: string, now: Date): LogEntry {
  // Quick parsers: every entry written passes here, then in append and encodeLogEntry (same answers as zod).
  const fields = quickParse(LogEntryInputSchema, input);
  return quickParse(LogEntrySchema, {
    id: newId(),
    eventAt: fields.eventAt ?? null,
    recordedAt: now.toISOString(),
    author,
    source: fields.source ?? null,
    category: fields.category,
    severity: fields.severity,
    verification: fields.verification,
    key: fields.key,
    text: fields.text,
    tags: fields.tags,
    amends: fields.amends ?? null,
    ...(fields.paper ? { paper: fields.paper } : {}),
    ...(fields.replyTo ? { replyTo: fields.replyTo } : {}),
  });
}

/**
 * Calls `listener` with the values each transaction added to `array` (a root array of plain
 * values) and the Yjs id of each (which still finds it after Yjs merges items), found from the
 * transaction's state vectors: O(new items), where Y.YEvent.changes walks the whole array
 * (100,000 items of a long log, at every update); only under the client ids noted on the
 * transaction when it was opened (./notedClients), else under every id. Returns the unsubscribe.
 */
export function observeAppended(array: Y.Array<unknown>, listener: (values: unknown[], origin: unknown, ids: Y.ID[]) => void): () => void {
  const doc = array.doc!;
  const handler = (tr: Y.Transaction) => {
    if (!tr.changedParentTypes.has(array as unknown as Y.AbstractType<Y.YEvent<Y.Array<unknown>>>)) return;
    const added: unknown[] = [];
    const ids: Y.ID[] = [];
    for (const client of clientsThatMayHaveAdded(tr)) {
      const before = tr.beforeState.get(client) ?? 0;
      if ((tr.afterState.get(client) ?? 0) <= before) continue;
      const structs = doc.store.clients.get(client) ?? [];
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const item = structs[i];
        if (!(item instanceof Y.Item) || item.deleted || item.parent !== array || !(item.content instanceof Y.ContentAny)) continue;
        item.content.getContent().forEach((raw, i) => {
          added.push(raw);
          ids.push(Y.createID(client, item.id.clock + i));
        });
      }
    }
    if (added.length > 0) listener(added, tr.origin, ids);
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}
