import * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import { VERIFICATIONS_ROOT } from '../../../shared/model/verification';
import { readerLooksAt } from '../../../shared/docs/reader';

/** Where an item of the log document sits, as the shared reader sees it. */
export type LogPosition = 'entries' | 'verifications' | 'elsewhere';

interface Segment {
  clock: number;
  len: number;
  /** Resolved position, or the struct still to resolve (its origin may come later in the same record). */
  at: LogPosition | Y.Item;
}

/**
 * The position of every item of the log document, by Yjs id, built from the journal records
 * alone (no Y.Doc): an item names its parent only when it has no neighbours; otherwise it sits
 * wherever its origin (or right origin) sits, as Yjs integrates it. The log replay reads a value
 * as an entry only when it lands in the entries array (not under a key of it), exactly where
 * LogDoc reads, so the exports can never show what the live views do not.
 */
export class LogPlacement {
  private readonly clients = new Map<number, Segment[]>();

  /** Registers the structs of one record, then resolves them (in any order). */
  add(structs: ReadonlyArray<Y.Item | Y.GC | Y.Skip>): void {
    const added: Segment[] = [];
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue;
      const list = this.clients.get(s.id.client) ?? [];
      if (list.length === 0) this.clients.set(s.id.client, list);
      const seg: Segment = { clock: s.id.clock, len: s.length, at: s };
      // Records of one client come in clock order (the guard refuses gaps); keep the list sorted anyway.
      if (list.length > 0 && list[list.length - 1]!.clock > seg.clock) {
        list.splice(this.lowerBound(list, seg.clock), 0, seg);
      } else list.push(seg);
      added.push(seg);
    }
    for (const seg of added) this.resolve(seg, new Set());
  }

  /** The position of the item holding `client:clock`, or 'elsewhere' when unknown. */
  positionOf(client: number, clock: number): LogPosition {
    const seg = this.find(client, clock);
    return seg ? this.resolve(seg, new Set()) : 'elsewhere';
  }

  private resolve(seg: Segment, visiting: Set<Segment>): LogPosition {
    if (typeof seg.at === 'string') return seg.at;
    const item = seg.at;
    if (visiting.has(seg)) return (seg.at = 'elsewhere');
    visiting.add(seg);
    const parent = item.parent as unknown;
    let at: LogPosition;
    if (typeof parent === 'string') at = rootPosition(parent, item.parentSub);
    else if (parent instanceof Y.ID) at = 'elsewhere';
    else {
      const neighbour = item.origin ?? item.rightOrigin;
      const next = neighbour ? this.find(neighbour.client, neighbour.clock) : null;
      at = next ? this.resolve(next, visiting) : 'elsewhere';
    }
    seg.at = at;
    return at;
  }

  private find(client: number, clock: number): Segment | null {
    const list = this.clients.get(client);
    if (!list) return null;
    const i = this.lowerBound(list, clock + 1) - 1;
    const seg = list[i];
    return seg && clock < seg.clock + seg.len ? seg : null;
  }

  /** First index whose clock is >= `clock`. */
  private lowerBound(list: Segment[], clock: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.clock < clock) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function rootPosition(root: string, key: string | null): LogPosition {
  if (!readerLooksAt('array', key)) return 'elsewhere';
  if (root === ROOTS.log) return 'entries';
  if (root === VERIFICATIONS_ROOT) return 'verifications';
  return 'elsewhere';
}

/**
 * Whether a (v1) update deletes anything. It ends with its delete set; an empty one is the
 * single byte 0 (a count of clients), and a non-empty one ends with a length >= 1, whose last
 * varint byte is never 0. So most records (appends) are told apart without decoding.
 */
export function hasDeletes(update: Uint8Array): boolean {
  return update.length > 0 && update[update.length - 1] !== 0;
}

/** Deleted id ranges of the log (withdrawn entries), with the server time of the record that deleted them. */
export class DeletedRanges {
  private readonly clients = new Map<number, Array<{ clock: number; len: number; at: string }>>();

  /** The delete set of one record's update. */
  add(update: Uint8Array, at: string): void {
    if (!hasDeletes(update)) return;
    for (const [client, items] of Y.decodeUpdate(update).ds.clients) {
      const list = this.clients.get(client) ?? [];
      this.clients.set(client, list);
      for (const d of items) list.push({ clock: d.clock, len: d.len, at });
    }
  }

  /** When the item holding `client:clock` was deleted, or null. */
  deletedAt(client: number, clock: number): string | null {
    for (const d of this.clients.get(client) ?? []) if (clock >= d.clock && clock < d.clock + d.len) return d.at;
    return null;
  }

  get size(): number {
    return this.clients.size;
  }
}
