import * as Y from 'yjs';
import type { TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase } from './partReplayer';
import { parseStoredLogEntry, parseStoredVerification } from './storedLogEntry';
import type { Verification } from '../../../shared/model/log';

/**
 * The log needs no Y.Doc: entries are immutable and never deleted (the update guard refuses
 * anything else), and each journal record holds exactly the structs its transaction added (the
 * room journals the effective update). So the entries a record added are the plain values in
 * its own bytes: decoding the record alone is O(its entries), never O(the log), and skips the
 * integration cost of a Y.Doc (100,000 records: ~0.2 s decoded, ~2 s applied one by one).
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

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    // Records after `to` can name nothing shown; records before `from` are still read, so a
    // verification change inside the window can name its entry.
    if (!filter.wantsGroup('log') || record.at.getTime() > filter.toMs) return [];
    const out: TimelineEvent[] = [];
    const base = eventBase(this.part, record, 0);
    const atMs = record.at.getTime();
    const emit = filter.wantsRecord(atMs);
    let n = 0;
    for (const struct of Y.decodeUpdate(record.update).structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
      for (const raw of struct.content.getContent()) {
        // The two roots hold different records; the guard keeps each in its own array, so the
        // shape alone says which one a value is (an item of this record may not name its root).
        const e = parseStoredLogEntry(raw);
        if (!e) {
          const v = parseStoredVerification(raw);
          if (!v) {
            this.unreadable += 1;
            continue;
          }
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
        this.known.set(e.id, { key: e.key, text: e.text.length > TEXT_KEPT ? `${e.text.slice(0, TEXT_KEPT)}…` : e.text, state: e.verification });
        if (!emit) continue;
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
          },
        };
        if (filter.acceptsAt(event, atMs)) out.push(event);
      }
    }
    return out;
  }
}

/** How much of an entry's text a verification event repeats. */
const TEXT_KEPT = 160;
