import * as Y from 'yjs';
import type { TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase } from '../replay/partReplayer';
import { parseStoredLogEntry, parseStoredVerification } from './storedLogEntry';
import type { LogEntry, Verification } from '../../../shared/model/log';
import type { VerificationRecord } from '../../../shared/model/verification';
import { DeletedRanges, LogPlacement, hasDeletes } from './itemPositions';

/**
 * The log needs no Y.Doc: entries are immutable (the update guard refuses anything else), and
 * each journal record holds exactly the structs its transaction added (the room journals the
 * effective update). So the entries a record added are the plain values in its own bytes:
 * decoding the record alone is O(its entries), never O(the log), and skips the integration cost
 * of a Y.Doc (100,000 records: ~0.2 s decoded, ~2 s applied one by one). A value counts only
 * where the shared reader (LogDoc, shared/docs/reader.ts) reads it: in the entries array, or in
 * the verification records' array, never under a key of either (`LogPlacement`). An entry its
 * author withdrew (deleted within the grace period) is marked withdrawn, with when: `withdrawals`
 * holds the deletes of the whole run, read ahead (`scanWithdrawals`), so the entry's own event
 * says it; the state at head (`entries()`) no longer holds it, as the live document does not.
 * Array order among concurrent writers does not matter here: the timeline is in journal order.
 */
export class LogReplayer implements PartReplayer {
  readonly part = 'log' as const;
  /** Values that were not valid entries (refused by the guard, so none in practice): shown in verification notes. */
  unreadable = 0;
  /**
   * What a verification event names of its entry: key flag, the start of its text, the state
   * the replay last knew. Kept for every entry, even before `from`, so a later change is described.
   */
  private readonly known = new Map<string, { key: boolean; text: string; state: Verification }>();
  private readonly placement = new LogPlacement();
  /** Entries and verification records as the live document holds them at this point of the replay, by item id. */
  private readonly liveEntries = new Map<string, LogEntry>();
  private readonly liveVerifications: VerificationRecord[] = [];
  /** Deletes seen so far by this replay (for the state), apart from the read-ahead ones (for the marks). */
  private readonly deletedSoFar = new DeletedRanges();

  constructor(private readonly withdrawals: DeletedRanges = new DeletedRanges()) {}

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    // Records after `to` can name nothing shown, nor can any when log events are filtered out
    // (the state then stops there); records before `from` are still read, so a verification
    // change inside the window can name its entry.
    if (!filter.wantsGroup('log') || record.at.getTime() > filter.toMs) return [];
    const decoded = Y.decodeUpdate(record.update);
    // The placement and the state advance whatever else the filter says: a later record's items sit by earlier ones.
    this.placement.add(decoded.structs);
    this.forgetDeleted(record);
    const out: TimelineEvent[] = [];
    const base = eventBase(this.part, record, 0);
    const atMs = record.at.getTime();
    const emit = filter.wantsRecord(atMs);
    let n = 0;
    for (const struct of decoded.structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
      const position = this.placement.positionOf(struct.id.client, struct.id.clock);
      if (position === 'elsewhere') {
        this.unreadable += struct.length;
        continue;
      }
      const values = struct.content.getContent();
      for (let i = 0; i < values.length; i++) {
        const raw = values[i];
        const clock = struct.id.clock + i;
        if (position === 'verifications') {
          const v = parseStoredVerification(raw);
          if (!v) {
            this.unreadable += 1;
            continue;
          }
          this.liveVerifications.push(v);
          const entry = this.known.get(v.entryId);
          if (entry) this.known.set(v.entryId, { ...entry, state: v.state });
          if (!emit) continue;
          const event: TimelineEvent = {
            ...base,
            id: `log:${record.seq}:${n++}`,
            kind: 'log.verification',
            data: { entryId: v.entryId, state: v.state, from: entry?.state ?? null, by: v.by, note: v.note ?? null, key: entry?.key ?? false, text: entry?.text ?? '' },
          };
          if (filter.acceptsAt(event, atMs)) out.push(event);
          continue;
        }
        const e = parseStoredLogEntry(raw);
        if (!e) {
          this.unreadable += 1;
          continue;
        }
        if (this.deletedSoFar.deletedAt(struct.id.client, clock) === null) this.liveEntries.set(`${struct.id.client}:${clock}`, e);
        this.known.set(e.id, { key: e.key, text: e.text.length > TEXT_KEPT ? `${e.text.slice(0, TEXT_KEPT)}…` : e.text, state: e.verification });
        if (!emit) continue;
        const withdrawnAt = this.withdrawals.deletedAt(struct.id.client, clock);
        const event: TimelineEvent = {
          ...base,
          id: `log:${record.seq}:${n++}`,
          eventAt: e.eventAt,
          kind: e.amends ? 'log.amendment' : 'log.entry',
          data: {
            entryId: e.id,
            category: e.category,
            severity: e.severity,
            verification: e.verification,
            key: e.key,
            text: e.text,
            source: e.source,
            tags: e.tags,
            amends: e.amends,
            writtenBy: e.author,
            ...(e.paper ? { paper: e.paper } : {}),
            ...(e.inject ? { inject: e.inject } : {}),
            ...(e.replyTo ? { replyTo: e.replyTo } : {}),
            ...(withdrawnAt ? { withdrawn: { at: withdrawnAt } } : {}),
          },
        };
        if (filter.acceptsAt(event, atMs)) out.push(event);
      }
    }
    return out;
  }

  /** The entries as the live document holds them after the records replayed so far (journal order, not array order). */
  entries(): LogEntry[] {
    return [...this.liveEntries.values()];
  }

  /** The verification records, likewise. */
  verifications(): VerificationRecord[] {
    return [...this.liveVerifications];
  }

  /** A record's deletes remove entries from the state (a withdrawal). */
  private forgetDeleted(record: JournalRecord): void {
    if (!hasDeletes(record.update)) return;
    this.deletedSoFar.add(record.update, record.at.toISOString());
    for (const key of [...this.liveEntries.keys()]) {
      const [client, clock] = key.split(':').map(Number) as [number, number];
      if (this.deletedSoFar.deletedAt(client, clock) !== null) this.liveEntries.delete(key);
    }
  }
}

/** Reads ahead the deletes of a log journal up to its head: which entries end up withdrawn, and when. */
export async function scanWithdrawals(pages: AsyncIterable<JournalRecord[]>): Promise<DeletedRanges> {
  const ranges = new DeletedRanges();
  for await (const page of pages) for (const r of page) ranges.add(r.update, r.at.toISOString());
  return ranges;
}

/** How much of an entry's text a verification event repeats. */
const TEXT_KEPT = 160;
