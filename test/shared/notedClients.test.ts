import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { applyUpdateNoted } from '../../shared/docs/notedClients';
import type { LogEntry } from '../../shared/model/log';

const at = new Date('2026-12-06T10:00:00Z');

/** A writer's copy under its own client id: what one page load that wrote leaves in the log. */
function writerCopy(clientId: number, from: Y.Doc): { doc: Y.Doc; log: LogDoc } {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return { doc, log: new LogDoc(doc) };
}

/** One update per entry, each written under the client id `writer(i)` on top of everything before, as seeded logs are. */
function history(count: number, writer: (i: number) => number, base = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const log = new LogDoc(base);
  const keep = (update: Uint8Array) => updates.push(update);
  base.on('update', keep);
  for (let i = 0; i < count; i++) {
    base.clientID = writer(i);
    log.append(buildLogEntry({ text: `point ${i}`, category: 'information' }, `Membre ${writer(i)}`, new Date(at.getTime() + i)));
  }
  base.off('update', keep);
  return updates;
}

/** Every entry reported as appended, with where it sits, in the order reported. */
function appended(doc: Y.Doc): string[] {
  const seen: string[] = [];
  new LogDoc(doc).onAppended((entries: LogEntry[], _origin, ids) => entries.forEach((e, i) => seen.push(`${e.text}@${ids[i]!.client}:${ids[i]!.clock}`)));
  return seen;
}

/** Counts the walks of `tr.afterState` made by the listeners between the two this installs around them. */
function countWalks(doc: Y.Doc, install: () => void): { walks: number } {
  const counter = { walks: 0 };
  let original = new Map<number, number>();
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    original = tr.afterState;
    const watched = new Map(original);
    const walk = <T>(result: T) => (counter.walks++, result);
    watched.keys = () => walk(original.keys());
    watched.entries = () => walk(original.entries());
    watched[Symbol.iterator] = () => walk(original[Symbol.iterator]());
    watched.forEach = (fn) => walk(original.forEach(fn));
    tr.afterState = watched;
  });
  install();
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    tr.afterState = original; // Yjs walks it itself after the observers
  });
  return counter;
}

/** A log already written by `ids` page loads, one entry each: past the point where the walk is skipped. */
function longIncident(ids: number): Y.Doc {
  const base = new Y.Doc();
  history(ids, (i) => 100_000 + i, base);
  return base;
}

test('noted updates report the same entries as plain ones, in any order of arrival, held-back structs included', () => {
  const base = longIncident(300);
  const updates = history(60, (i) => 1_000 + (i % 23), writerCopy(1, base).doc);
  const order = [...updates.keys()].sort((a, b) => ((a * 7919) % 61) - ((b * 7919) % 61)); // shuffled, so some wait for others
  const [noted, plain] = [writerCopy(2, base).doc, writerCopy(3, base).doc];
  let seenNoted: string[] = [];
  const counter = countWalks(noted, () => (seenNoted = appended(noted)));
  const seenPlain = appended(plain);
  for (const i of order) {
    applyUpdateNoted(noted, updates[i]!, 'server');
    Y.applyUpdate(plain, updates[i]!, 'server');
  }
  expect(seenNoted).toHaveLength(60);
  expect(seenNoted).toEqual(seenPlain);
  expect(new LogDoc(noted).entries()).toEqual(new LogDoc(plain).entries());
  // Some came in order (noted, not walked), some after a hole or filling one (walked).
  expect(counter.walks).toBeGreaterThan(0);
  expect(counter.walks).toBeLessThan(60);
});

test('an update of several writers is walked, so their entries come in the order they always did; ids given by the caller count', () => {
  const base = longIncident(300);
  const updates = history(12, (i) => 500 + i, writerCopy(1, base).doc);
  const [noted, plain] = [writerCopy(2, base).doc, writerCopy(3, base).doc];
  let seenNoted: string[] = [];
  const counter = countWalks(noted, () => (seenNoted = appended(noted)));
  const seenPlain = appended(plain);
  const merged = Y.mergeUpdates(updates.slice(0, 11));
  applyUpdateNoted(noted, merged, 'server', Y.parseUpdateMeta(merged).to.keys());
  Y.applyUpdate(plain, merged, 'server');
  expect(counter.walks).toBe(1);
  applyUpdateNoted(noted, updates[11]!, 'server', [511]);
  Y.applyUpdate(plain, updates[11]!, 'server');
  expect(counter.walks).toBe(1);
  expect(seenNoted).toHaveLength(12);
  expect(seenNoted).toEqual(seenPlain);
});

test('with thousands of client ids in the log, a noted update and a local entry do not walk them; the rest still does', () => {
  const base = longIncident(3_000);
  const receiver = writerCopy(77, base);
  const seen: string[] = [];
  const counter = countWalks(receiver.doc, () => receiver.log.onAppended((entries) => entries.forEach((e) => seen.push(e.text))));
  applyUpdateNoted(receiver.doc, history(1, () => 20_000, base)[0]!, 'server');
  receiver.log.append(buildLogEntry({ text: 'local', category: 'information' }, 'Membre 77', at));
  expect(seen).toEqual(['point 0', 'local']);
  expect(counter.walks).toBe(0);
  // Inside a transaction the caller opened, nothing is known of the rest of it.
  receiver.doc.transact(() => applyUpdateNoted(receiver.doc, history(1, () => 20_001, base)[0]!, 'server'));
  expect(counter.walks).toBe(1);
  // A large update: the walk is small next to applying it.
  const large = history(1, () => 20_002, base)[0]!;
  const padded = Y.mergeUpdates([large, ...history(400, (i) => 30_000 + i, writerCopy(5, base).doc)]);
  expect(padded.byteLength).toBeGreaterThan(64 * 1024);
  applyUpdateNoted(receiver.doc, padded, 'server');
  expect(counter.walks).toBe(2);
  expect(seen).toHaveLength(3 + 1 + 400);
});

test("an edit made by a 'beforeTransaction' listener, inside the noted transaction, is not missed", () => {
  const base = longIncident(300);
  const receiver = writerCopy(77, base);
  const seen: string[] = [];
  receiver.log.onAppended((entries) => entries.forEach((e) => seen.push(e.text)));
  const other = new Y.Doc();
  history(1, () => 20_005, other);
  let once = true;
  receiver.doc.on('beforeTransaction', () => {
    if (!once) return;
    once = false;
    Y.applyUpdate(receiver.doc, Y.encodeStateAsUpdate(other), 'server'); // another writer's entry, in the same transaction
  });
  applyUpdateNoted(receiver.doc, history(1, () => 20_000, base)[0]!, 'server');
  expect(seen).toHaveLength(2);
});
