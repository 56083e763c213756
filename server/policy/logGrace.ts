import * as Y from 'yjs';

interface Insert {
  client: number;
  from: number;
  to: number;
  userId: string;
  at: number;
}

const MAX_PER_DOC = 10_000;

/**
 * The log entries each user added in the last LOG_SEAL_GRACE_SECONDS, by Yjs id range. Within
 * that grace a writer may withdraw their own entry (a typo: withdraw and post again); after it,
 * or once the server restarted and forgot, the entry is sealed. The journal keeps every
 * version whatever happens.
 */
export class RecentLogInserts {
  private readonly docs = new Map<string, Insert[]>();

  constructor(private readonly graceMs: number) {}

  record(doc: string, client: number, range: { from: number; to: number }, userId: string): void {
    if (this.graceMs <= 0) return;
    const now = Date.now();
    const list = (this.docs.get(doc) ?? []).filter((i) => now - i.at < this.graceMs);
    list.push({ client, from: range.from, to: range.to, userId, at: now });
    if (list.length > MAX_PER_DOC) list.splice(0, list.length - MAX_PER_DOC);
    this.docs.set(doc, list);
  }

  /** Whether `item` lies wholly in a range `userId` inserted less than the grace period ago. */
  withinGrace(doc: string, item: Y.Item, userId: string): boolean {
    const now = Date.now();
    const start = item.id.clock;
    const end = start + item.length;
    return (this.docs.get(doc) ?? []).some((i) => i.userId === userId && i.client === item.id.client && i.from <= start && end <= i.to && now - i.at < this.graceMs);
  }

  forgetDoc(doc: string): void {
    this.docs.delete(doc);
  }
}
