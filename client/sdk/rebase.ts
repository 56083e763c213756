import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import type { DocPart } from '../../shared/model/parts';
import { VERIFICATIONS_ROOT } from '../../shared/model/verification';
import { applyTextDiff } from '../../shared/docs/textDiff';

/**
 * Record-level changes: what an edit did, said so that it can be done again on another copy of
 * the document. Yjs cannot take an item back out of a document, and an item's clock follows the
 * one before it, so after a refusal the edits made after the refused one cannot be sent as they
 * are (the server would miss the refused clocks). They are described here, then made again on a
 * copy of the server's state (`applyChange`), each as its own transaction.
 */

/** A value as found in a copy: plain, or one of the shared types records are made of. */
export type Snap = { t: 'map'; entries: Map<string, Snap> } | { t: 'array'; items: unknown[] } | { t: 'text'; text: string } | { t: 'value'; value: unknown };

export type Change =
  /** A value appended to the list at `path` (the log, verification records, a decision's history). */
  | { op: 'append'; path: string[]; value: unknown }
  /** A map key at `path` given a value (a record created, a field written). */
  | { op: 'set'; path: string[]; key: string; value: Snap }
  | { op: 'delete'; path: string[]; key: string }
  /** A shared text at `path` edited from `before` to `after`. */
  | { op: 'text'; path: string[]; before: string; after: string };

/** The changes of one record (or one appended value): what is sent, and judged, on its own. */
export interface ChangeUnit {
  key: string;
  changes: Change[];
}

/** The root types of a part, defined so that a fresh copy reads them with their right kind. */
type Root = Y.Map<unknown> | Y.Array<unknown>;

export function partRoots(part: DocPart, doc: Y.Doc): Array<[string, Root]> {
  if (part === 'log') return [[ROOTS.log, doc.getArray(ROOTS.log)], [VERIFICATIONS_ROOT, doc.getArray(VERIFICATIONS_ROOT)]];
  return [[ROOTS[part], doc.getMap(ROOTS[part])]];
}

export function snapshot(part: DocPart, doc: Y.Doc): Map<string, Snap> {
  const out = new Map<string, Snap>();
  for (const [name, type] of partRoots(part, doc)) out.set(name, snap(type));
  return out;
}

function snap(value: unknown): Snap {
  if (value instanceof Y.Map) {
    const entries = new Map<string, Snap>();
    for (const [k, v] of value.entries()) entries.set(k, snap(v));
    return { t: 'map', entries };
  }
  if (value instanceof Y.Array) return { t: 'array', items: value.toArray().map((v) => (v instanceof Y.AbstractType ? v.toJSON() : v)) };
  if (value instanceof Y.Text) return { t: 'text', text: value.toString() };
  if (value instanceof Y.AbstractType) return { t: 'value', value: value.toJSON() };
  return { t: 'value', value };
}

/** Plain values compared as values (log entries are strings: compared as such, never re-encoded). */
const same = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));

/** What turned `before` into `after`, grouped per record (per appended value for lists at the root). */
export function diffSnapshots(before: Map<string, Snap>, after: Map<string, Snap>): ChangeUnit[] {
  const changes: Change[] = [];
  for (const [root, a] of after) {
    const b = before.get(root) ?? (a.t === 'map' ? { t: 'map' as const, entries: new Map() } : { t: 'array' as const, items: [] });
    diff(b, a, [root], changes);
  }
  const units = new Map<string, ChangeUnit>();
  let n = 0;
  for (const c of changes) {
    // A record is the first key under its root; values appended to a root list stand alone.
    const key = c.path.length > 1 ? `${c.path[0]}/${c.path[1]}` : c.op === 'set' || c.op === 'delete' ? `${c.path[0]}/${c.key}` : `${c.path[0]}#${n++}`;
    const unit = units.get(key) ?? { key, changes: [] };
    unit.changes.push(c);
    units.set(key, unit);
  }
  return [...units.values()];
}

function diff(before: Snap, after: Snap, path: string[], out: Change[]): void {
  if (before.t === 'map' && after.t === 'map') {
    for (const [k, a] of after.entries) {
      const b = before.entries.get(k);
      if (!b || b.t !== a.t) out.push({ op: 'set', path, key: k, value: a });
      else if (a.t === 'value' && b.t === 'value') {
        if (!same(a.value, b.value)) out.push({ op: 'set', path, key: k, value: a });
      } else diff(b, a, [...path, k], out);
    }
    for (const k of before.entries.keys()) if (!after.entries.has(k)) out.push({ op: 'delete', path, key: k });
    return;
  }
  if (before.t === 'array' && after.t === 'array') {
    // Lists are only appended to (the server refuses removals): what is new is what `before`
    // lacks. Mostly it sits at the end, after the same values (the same strings: a cheap test
    // even for a log of 100,000 entries).
    const a = after.items;
    const b = before.items;
    let prefix = 0;
    while (prefix < b.length && prefix < a.length && a[prefix] === b[prefix]) prefix++;
    if (prefix === b.length) {
      for (const v of a.slice(prefix)) out.push({ op: 'append', path, value: v });
      return;
    }
    const keyOf = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
    const left = new Map<string, number>();
    for (const v of b) left.set(keyOf(v), (left.get(keyOf(v)) ?? 0) + 1);
    for (const v of a) {
      const k = keyOf(v);
      const n = left.get(k) ?? 0;
      if (n > 0) left.set(k, n - 1);
      else out.push({ op: 'append', path, value: v });
    }
    return;
  }
  if (before.t === 'text' && after.t === 'text' && before.text !== after.text) out.push({ op: 'text', path: path, before: before.text, after: after.text });
}

/** The shared type at `path` in `doc`, or null when the copy lacks it (the record it was in is gone). */
function resolve(part: DocPart, doc: Y.Doc, path: string[]): unknown {
  const root = partRoots(part, doc).find(([name]) => name === path[0])?.[1];
  let at: unknown = root ?? null;
  for (const k of path.slice(1)) at = at instanceof Y.Map ? (at as Y.Map<unknown>).get(k) : null;
  return at;
}

function build(s: Snap): unknown {
  if (s.t === 'value') return s.value;
  if (s.t === 'text') return new Y.Text(s.text);
  if (s.t === 'array') {
    const a = new Y.Array<unknown>();
    a.push(s.items);
    return a;
  }
  const m = new Y.Map<unknown>();
  for (const [k, v] of s.entries) m.set(k, build(v));
  return m;
}

/** Writes `value` at `map[key]`; a record that exists already gets only the fields that differ (its others stay, and may be sealed). */
function put(map: Y.Map<unknown>, key: string, value: Snap): void {
  const current = map.get(key);
  if (value.t === 'map' && current instanceof Y.Map) {
    for (const [k, v] of value.entries) put(current as Y.Map<unknown>, k, v);
    return;
  }
  if (value.t === 'value' && !(current instanceof Y.AbstractType) && map.has(key) && same(current, value.value)) return;
  if (value.t === 'text' && current instanceof Y.Text) {
    applyTextDiff(current, value.text);
    return;
  }
  map.set(key, build(value));
}

/**
 * Makes one change again on `doc` (inside the caller's transaction). A change found there
 * already (it landed before the refusal) is left as it is. False when `doc` lacks what the
 * change was made in (a field of a record that was itself refused).
 */
export function applyChange(part: DocPart, doc: Y.Doc, change: Change): boolean {
  const at = resolve(part, doc, change.path);
  if (change.op === 'append') {
    if (!(at instanceof Y.Array)) return false;
    if (!at.toArray().some((v) => same(v, change.value))) at.insert(at.length, [change.value]);
    return true;
  }
  if (change.op === 'text') {
    if (!(at instanceof Y.Text)) return false;
    spliceText(at, change.before, change.after);
    return true;
  }
  if (!(at instanceof Y.Map)) return false;
  if (change.op === 'delete') at.delete(change.key);
  else put(at as Y.Map<unknown>, change.key, change.value);
  return true;
}

/** Applies the edit `before` → `after` where it was made, keeping what others wrote elsewhere in the text meanwhile. */
function spliceText(text: Y.Text, before: string, after: string): void {
  const current = text.toString();
  if (current === after) return;
  if (current === before) return applyTextDiff(text, after);
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) start++;
  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const removed = before.slice(start, before.length - end);
  const inserted = after.slice(start, after.length - end);
  // Where the replaced stretch (or, for an insertion, the text just before it) still is, nearest
  // to where it was; if it is gone, the text as written here wins.
  const anchor = removed.length > 0 ? removed : before.slice(Math.max(0, start - 24), start);
  const shift = removed.length > 0 ? 0 : anchor.length;
  const pos = nearest(current, anchor, start - shift);
  if (pos < 0) return applyTextDiff(text, after);
  const apply = () => {
    if (removed.length > 0) text.delete(pos, removed.length);
    if (inserted.length > 0) text.insert(pos + shift, inserted);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}

/** The occurrence of `part` in `text` nearest to `near` (-1 when none; `near` itself for an empty `part`). */
function nearest(text: string, part: string, near: number): number {
  if (part.length === 0) return Math.min(Math.max(near, 0), text.length);
  let best = -1;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
    if (best < 0 || Math.abs(i - near) < Math.abs(best - near)) best = i;
  }
  return best;
}

/** The Yjs update of one transaction made by `fn` on `doc` (null when it changed nothing). */
export function captureTransaction(doc: Y.Doc, origin: unknown, fn: () => void): Uint8Array | null {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array, o: unknown) => {
    if (o === origin) update = update ? Y.mergeUpdates([update, u]) : u;
  };
  doc.on('update', capture);
  try {
    doc.transact(fn, origin);
  } finally {
    doc.off('update', capture);
  }
  return update;
}
