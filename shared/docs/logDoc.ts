import * as Y from 'yjs';
import { LogEntry, LogEntryInputSchema, LogEntryInput, LogEntrySchema } from '../model/log';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';

/**
 * Typed view of the log part: a Y.Array of immutable plain entries (one Yjs item each, the
 * representation that keeps 100,000 entries light). Parsed entries are cached by id, so a
 * read after a change costs a walk of the array, not a re-validation of every entry.
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
    this.array.push([checked]);
    return checked;
  }

  /** Calls `listener` after every change of the log, local or remote. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.array.observe(handler);
    return () => this.array.unobserve(handler);
  }

  private parse(raw: unknown): LogEntry | null {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw as { id: unknown }).id : undefined;
    if (typeof id === 'string') {
      const cached = this.parsed.get(id);
      if (cached) return cached;
    }
    const result = LogEntrySchema.safeParse(raw);
    if (!result.success) return null;
    this.parsed.set(result.data.id, result.data);
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
