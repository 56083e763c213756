import * as Y from 'yjs';
import { EncodedLogEntrySchema, LogEntry, LogEntryInputSchema, LogEntryInput, LogEntrySchema, encodeLogEntry } from '../model/log';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';

/**
 * Typed view of the log part: a Y.Array of immutable entries, each one JSON string (one Yjs
 * item each, the representation that keeps 100,000 entries light). Parsed entries are cached
 * by their string, so a read after a change costs a walk of the array, not a re-parse of all.
 */
export class LogDoc {
  readonly array: Y.Array<unknown>;
  private readonly parsed = new Map<string, LogEntry>();

  constructor(readonly doc: Y.Doc) {
    this.array = doc.getArray<unknown>(ROOTS.log);
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

  find(id: string): LogEntry | undefined {
    return this.entries().find((e) => e.id === id);
  }

  append(entry: LogEntry): LogEntry {
    const checked = LogEntrySchema.parse(entry);
    // insert-at-length uses Yjs's search markers; push walks the list from its start each time.
    this.array.insert(this.array.length, [encodeLogEntry(checked)]);
    return checked;
  }

  /** Calls `listener` after every change of the log, local or remote. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.array.observe(handler);
    return () => this.array.unobserve(handler);
  }

  /**
   * Calls `listener` with the entries each transaction added, found from the transaction's
   * state vectors: O(new entries), where Y.YEvent.changes walks the whole array.
   */
  onAppended(listener: (entries: LogEntry[], origin: unknown) => void): () => void {
    const handler = (tr: Y.Transaction) => {
      if (!tr.changedParentTypes.has(this.array as unknown as Y.AbstractType<Y.YEvent<Y.Array<unknown>>>)) return;
      const added: LogEntry[] = [];
      for (const [client, after] of tr.afterState) {
        const before = tr.beforeState.get(client) ?? 0;
        if (after <= before) continue;
        const structs = this.doc.store.clients.get(client) ?? [];
        for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
          const item = structs[i];
          if (!(item instanceof Y.Item) || item.deleted || item.parent !== this.array || !(item.content instanceof Y.ContentAny)) continue;
          for (const raw of item.content.getContent()) {
            const entry = this.parse(raw);
            if (entry) added.push(entry);
          }
        }
      }
      if (added.length > 0) listener(added, tr.origin);
    };
    this.doc.on('afterTransaction', handler);
    return () => this.doc.off('afterTransaction', handler);
  }

  private parse(raw: unknown): LogEntry | null {
    if (typeof raw !== 'string') return null;
    const cached = this.parsed.get(raw);
    if (cached) return cached;
    const result = EncodedLogEntrySchema.safeParse(raw);
    if (!result.success) return null;
    this.parsed.set(raw, result.data);
    return result.data;
  }
}

/** Builds a complete entry from what a writer typed; `now` is the server-corrected clock. */
export function buildLogEntry(input: LogEntryInput, author: string, now: Date): LogEntry {
  const fields = LogEntryInputSchema.parse(input);
  return LogEntrySchema.parse({
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
  });
}
