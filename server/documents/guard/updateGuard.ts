import * as Y from 'yjs';
import { DecodedUpdate } from './decodedUpdate';
import { AppError as GuardError } from '../../errors';
import { onScratchCopy } from '../../parts/rules/scratchCopy';
import { Container, Placement, kindOfType, liveMapValue, placementOfStoredItem } from '../../parts/shape/containers';
import type { InsertedContent, PartPolicy } from '../../parts/shape/partPolicy';
import { checkReaderSees } from './readerVisibility';
import type { Refusal } from '../../parts/partModule';

/** A refusal of the guard: the same shape as every admission refusal (server/parts/partModule.ts). */
export type GuardRefusal = Refusal;

/**
 * Rules beyond the part's shape, supplied per sender (server/policy): who may write what,
 * sealed records, author fields. Both run before anything is applied, like the shape rules.
 */
export interface GuardHooks {
  /** A further say on an inserted item the part's rules accepted: a refusal, or null. */
  checkInsert?(container: Container, key: string | null, content: InsertedContent): GuardRefusal | null;
  /** A first say on deleting a live item: 'allow' overrides the part's rules, a refusal refuses, null defers to them. */
  judgeDelete?(item: Y.Item, placement: Placement): 'allow' | GuardRefusal | null;
}

/** What an accepted inspection learnt: the decoded update and, per client id, the clock range it adds. */
export interface InspectedUpdate {
  update: DecodedUpdate;
  added: Map<number, { from: number; to: number }>;
  /**
   * Fields the server has that this update writes only items to which end up deleted (a value
   * set then removed in one transaction, or an inserted item the update also deletes): if that
   * is all there is, the field vanishes. Whether it does depends on how Yjs orders concurrent
   * items, so the room settles it on a scratch copy (`fieldsStillThere`).
   */
  mayClear: Array<{ path: string[]; key: string }>;
  /**
   * The records (keys of the root map) the update writes into, replaces or deletes from: what
   * the sealed-record checks need to look at. Every item's place is known to the guard (or the
   * update is refused), so a record not listed here is left exactly as it was.
   */
  touchedRecords: Set<string>;
  /** Of those, the records whose own fields the update writes or which it creates or replaces (not their nested text or lists). */
  fieldWrites: Set<string>;
  /**
   * The most content this update brings to any one record (the values, text and embeds it inserts
   * there, in bytes; a log entry is a record of its own): the single-record size budget reads it,
   * so one large record cannot hide behind small edits to others.
   */
  largestRecordBytes: number;
}

/** A struct may not push a client's clock further than this past what the server knows. */
const MAX_CLOCK_ADVANCE = 10_000_000;

/**
 * Inspects an update against the server's document *before* it is applied, so a refused
 * update changes nothing: it must decode, continue each client's clock without a gap, depend
 * only on items the server has (or that it brings), and fit the part's shape rules for every
 * item it inserts and every item it deletes.
 */
export function inspectUpdate(doc: Y.Doc, policy: PartPolicy, bytes: Uint8Array | DecodedUpdate, hooks: GuardHooks = {}): InspectedUpdate {
  // An update the caller decoded already (to read its client ids first) is not decoded again.
  const update = bytes instanceof DecodedUpdate ? bytes : new DecodedUpdate(bytes);
  return new Inspection(doc, policy, update, hooks).run();
}

/** One inspection: what it has learnt so far about the update, and the checks that use it. */
class Inspection {
  private readonly store: Y.Doc['store'];
  /** Per client id, the clock the update's structs reach (at least what the server has). */
  private readonly coverage = new Map<number, number>();
  private readonly placements = new Map<Y.Item, Placement>();
  private readonly visiting = new Set<Y.Item>();
  /** Map keys (of containers the server has) that this update writes a new value to. */
  private readonly rewritten = new Map<Y.AbstractType<any>, Set<string>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  private readonly mayClear = new Map<string, { path: string[]; key: string }>();
  private readonly touchedRecords = new Set<string>();
  private readonly fieldWrites = new Set<string>();
  private readonly recordBytes = new Map<string, number>();
  private largestRecordBytes = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly policy: PartPolicy,
    private readonly update: DecodedUpdate,
    private readonly hooks: GuardHooks,
  ) {
    this.store = doc.store;
  }

  run(): InspectedUpdate {
    this.checkClocks();
    for (const s of this.update.structs) if (s instanceof Y.Item) this.inspectItem(s);
    for (const range of this.update.deletes) this.inspectDeletes(range);
    const added = new Map<number, { from: number; to: number }>();
    for (const [client, reach] of this.coverage) {
      if (reach > this.known(client)) added.set(client, { from: this.known(client), to: reach });
    }
    const { update, touchedRecords, fieldWrites, largestRecordBytes } = this;
    return { update, added, mayClear: [...this.mayClear.values()], touchedRecords, fieldWrites, largestRecordBytes };
  }

  private known(client: number): number {
    return Y.getState(this.store, client);
  }

  private exists(id: Y.ID): boolean {
    return id.clock < this.known(id.client) || id.clock < (this.coverage.get(id.client) ?? 0);
  }

  /** Clock continuity: what each client brings must start at or before what we have. */
  private checkClocks(): void {
    for (const [client, structs] of this.update.clients()) {
      let reach = this.known(client);
      for (const s of structs) {
        // A zero-length struct is never produced by Yjs, and corrupts the store of whoever applies it.
        if (s.length <= 0) throw new GuardError('UPDATE_MALFORMED', `client ${client}: empty struct at clock ${s.id.clock}`);
        if (s instanceof Y.Skip) continue;
        if (s.id.clock > reach) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', `client ${client} jumps from clock ${reach} to ${s.id.clock}`);
        if (s.id.clock + s.length - this.known(client) > MAX_CLOCK_ADVANCE) throw new GuardError('UPDATE_MALFORMED', `client ${client}: absurd struct length`);
        reach = Math.max(reach, s.id.clock + s.length);
      }
      this.coverage.set(client, reach);
    }
  }

  private placementOfId(id: Y.ID): Placement {
    if (id.clock < this.known(id.client)) {
      const stored = Y.getItem(this.store, id) as Y.Item | Y.GC;
      if (!(stored instanceof Y.Item)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', 'refers to collected content');
      return placementOfStoredItem(stored);
    }
    const own = this.update.find(id);
    if (!(own instanceof Y.Item)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', `refers to unknown item ${id.client}:${id.clock}`);
    return this.placementOfNew(own);
  }

  private containerOfId(id: Y.ID): Container {
    if (id.clock < this.known(id.client)) {
      const stored = Y.getItem(this.store, id) as Y.Item | Y.GC;
      if (!(stored instanceof Y.Item) || !(stored.content instanceof Y.ContentType)) throw new GuardError('UPDATE_INVALID_CONTENT', 'parent is not a shared type');
      const outer = placementOfStoredItem(stored);
      return { path: [...outer.container.path, stored.parentSub ?? '#'], kind: kindOfType(stored.content.type), live: stored.content.type };
    }
    const own = this.update.find(id);
    if (!(own instanceof Y.Item) || !(own.content instanceof Y.ContentType)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', 'parent is unknown or not a shared type');
    const outer = this.placementOfNew(own);
    return { path: [...outer.container.path, own.parentSub ?? '#'], kind: kindOfType(own.content.type), live: null };
  }

  private placementOfNew(item: Y.Item): Placement {
    const cached = this.placements.get(item);
    if (cached) return cached;
    if (this.visiting.has(item)) throw new GuardError('UPDATE_MALFORMED', 'items refer to each other in a cycle');
    this.visiting.add(item);
    let placement: Placement;
    const parent = item.parent as unknown;
    if (typeof parent === 'string') {
      const root = this.doc.share.get(parent);
      placement = { container: { path: [parent], kind: root ? kindOfType(root) : item.parentSub !== null ? 'map' : 'array', live: root ?? null }, key: item.parentSub };
    } else if (parent instanceof Y.ID) {
      placement = { container: this.containerOfId(parent), key: item.parentSub };
    } else {
      const neighbour = item.origin ?? item.rightOrigin;
      if (!neighbour) throw new GuardError('UPDATE_MALFORMED', 'item has neither parent nor neighbours');
      placement = this.placementOfId(neighbour);
    }
    this.visiting.delete(item);
    this.placements.set(item, placement);
    return placement;
  }

  private touch({ container, key }: Placement): void {
    const record = container.path.length === 1 ? key : container.path[1];
    if (record === null || record === undefined) return;
    this.touchedRecords.add(record);
    if (container.path.length <= 2) this.fieldWrites.add(record);
  }

  private weigh({ container, key }: Placement, item: Y.Item): void {
    const record = container.path.length === 1 ? key : container.path[1];
    if (record === null || record === undefined) {
      // Values straight in a root list (the log's entries): each value is a record.
      for (const size of valueSizes(item)) this.largestRecordBytes = Math.max(this.largestRecordBytes, size);
      return;
    }
    const total = (this.recordBytes.get(record) ?? 0) + valueSizes(item).reduce((a, b) => a + b, 0);
    this.recordBytes.set(record, total);
    this.largestRecordBytes = Math.max(this.largestRecordBytes, total);
  }

  private mightClear(container: Container, key: string | null): void {
    if (key === null || !(container.live instanceof Y.Map) || !container.live.has(key)) return;
    this.mayClear.set(JSON.stringify([...container.path, key]), { path: container.path, key });
  }

  private inspectItem(s: Y.Item): void {
    // Dependencies are checked even on items the server already has: Yjs looks them up (and
    // splits items at them) before it notices the item is a resend, and fails on a bad one.
    for (const dep of [s.origin, s.rightOrigin, s.parent instanceof Y.ID ? s.parent : null]) {
      if (dep && !this.exists(dep)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', `depends on ${dep.client}:${dep.clock}, which the server does not have`);
      // A client's items only ever refer to its earlier ones (Yjs creates them in clock order);
      // a reference to itself or to a later item makes Yjs fail half-way through integrating.
      if (dep && dep.client === s.id.client && dep.clock >= s.id.clock) throw new GuardError('UPDATE_MALFORMED', `item ${s.id.client}:${s.id.clock} refers to a later item of its own client`);
    }
    if (s.id.clock + s.length <= this.known(s.id.client)) return; // already integrated: a harmless resend
    const placed = this.placementOfNew(s);
    const { container, key } = placed;
    this.touch(placed);
    this.weigh(placed, s);
    // Only what the server lacks is judged: a struct that starts with items the server has (a
    // resend merged with new edits) brings those again, and they were judged when they came.
    const content = describeContent(s, Math.max(0, this.known(s.id.client) - s.id.clock));
    const invisible = checkReaderSees(container, key, content);
    if (invisible) throw new GuardError(invisible.code, invisible.message);
    if (key !== null && container.live) this.rewritten.set(container.live, (this.rewritten.get(container.live) ?? new Set()).add(key));
    if (content.kind === 'deleted') this.mightClear(container, key);
    const problem = this.policy.checkInsert(container, key, content);
    if (problem) throw new GuardError('UPDATE_INVALID_CONTENT', problem);
    const refusal = this.hooks.checkInsert?.(container, key, content);
    if (refusal) throw new GuardError(refusal.code, refusal.message);
    // Setting a map key deletes the value there, whether or not the update lists that delete.
    const replaced = liveMapValue(container, key);
    if (replaced) this.checkDelete(replaced, { container, key });
  }

  private inspectDeletes(range: { client: number; clock: number; len: number }): void {
    if (range.len <= 0 || range.len > MAX_CLOCK_ADVANCE) throw new GuardError('UPDATE_MALFORMED', 'absurd delete range');
    const end = range.clock + range.len;
    if (end > Math.max(this.known(range.client), this.coverage.get(range.client) ?? 0)) {
      throw new GuardError('UPDATE_MISSING_DEPENDENCIES', `deletes ${range.client}:${range.clock}+${range.len}, which the server does not have`);
    }
    forEachDeletedItem(this.doc, this.update, range, (item, placement) => {
      // A record's field is replaced by a new value, never removed alone: a bare delete would
      // leave a record that no longer validates, i.e. hide it.
      const { container, key } = placement;
      this.touch(placement);
      if (key !== null && container.live && !this.rewritten.get(container.live)?.has(key)) {
        throw new GuardError('UPDATE_FORBIDDEN_DELETE', `${[...container.path, key].join('.')}: a field is replaced, never removed`);
      }
      // Its own new value, deleted at once: the field may be left with none.
      if (item.id.clock >= this.known(item.id.client)) this.mightClear(container, key);
      this.checkDelete(item, placement);
    }, (item) => this.placementOfNew(item));
  }

  private checkDelete(item: Y.Item, placement: Placement): void {
    const judged = this.hooks.judgeDelete?.(item, placement) ?? null;
    if (judged === 'allow') return;
    if (judged) throw new GuardError(judged.code, judged.message);
    const problem = this.policy.checkDelete(placement.container, placement.key);
    if (problem) throw new GuardError('UPDATE_FORBIDDEN_DELETE', problem);
  }
}

function forEachDeletedItem(
  doc: Y.Doc,
  update: DecodedUpdate,
  range: { client: number; clock: number; len: number },
  visit: (item: Y.Item, placement: Placement) => void,
  placementOfNew: (item: Y.Item) => Placement,
): void {
  const end = range.clock + range.len;
  const stored = doc.store.clients.get(range.client);
  let clock = range.clock;
  while (clock < end) {
    if (stored && clock < Y.getState(doc.store, range.client)) {
      const index = Y.findIndexSS(stored, clock);
      const struct = stored[index]!;
      if (struct instanceof Y.Item && !struct.deleted) visit(struct, placementOfStoredItem(struct));
      clock = struct.id.clock + struct.length;
      continue;
    }
    const own = update.find(Y.createID(range.client, clock));
    if (!own) break;
    if (own instanceof Y.Item) visit(own, placementOfNew(own));
    clock = own.id.clock + own.length;
  }
}

/** Bytes of what an item inserts, one figure per value it carries (a text run or an embed is one). */
function valueSizes(item: Y.Item): number[] {
  const c = item.content;
  if (c instanceof Y.ContentAny) return c.getContent().map(sizeOfValue);
  if (c instanceof Y.ContentString) return [Buffer.byteLength(c.str)];
  if (c instanceof Y.ContentBinary) return [c.content.length];
  if (c instanceof Y.ContentEmbed || c instanceof Y.ContentFormat || c instanceof Y.ContentJSON) return [sizeOfValue(c.getContent())];
  return [0];
}

/** A decoded value's size as JSON; Yjs values may hold bigints and byte arrays, which JSON.stringify refuses or inflates. */
function sizeOfValue(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.length;
  return Buffer.byteLength(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `${v.length}` : v)) ?? '');
}

function describeContent(item: Y.Item, known = 0): InsertedContent {
  const c = item.content;
  if (c instanceof Y.ContentAny) return { kind: 'values', values: known > 0 ? c.getContent().slice(known) : c.getContent() };
  if (c instanceof Y.ContentType) {
    const kind = kindOfType(c.type);
    return { kind: 'type', type: kind };
  }
  if (c instanceof Y.ContentString) return { kind: 'string', length: c.str.length };
  if (c instanceof Y.ContentDeleted) return { kind: 'deleted' };
  return { kind: 'other', name: c.constructor.name };
}

/**
 * Whether every field in `fields` still has a value once `bytes` is applied, tried on a scratch
 * copy of `doc` (the real one is left alone). A field the copy cannot reach counts as gone.
 */
export function fieldsStillThere(doc: Y.Doc, bytes: Uint8Array, fields: Array<{ path: string[]; key: string }>): string | null {
  return onScratchCopy(doc, bytes, (scratch) => {
    for (const { path, key } of fields) {
      // Fields live in maps all the way down from a map root (records keyed by id, then fields).
      let at: unknown = path[0] === undefined ? undefined : scratch.getMap(path[0]);
      for (const step of path.slice(1)) at = at instanceof Y.Map ? at.get(step) : undefined;
      if (!(at instanceof Y.Map) || !at.has(key)) return [...path, key].join('.');
    }
    return null;
  });
}
