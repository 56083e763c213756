import * as Y from 'yjs';
import { encodeTransactionUpdate } from '../../server/documents/transactionUpdate';

/**
 * encodeTransactionUpdate must write, byte for byte, what Yjs emits as `'update'` for the same
 * transaction: the room journals these bytes whenever it cannot journal the client's own.
 */
function bothEncodings(doc: Y.Doc, change: () => void): { ours: Uint8Array | null; yjs: Uint8Array | null } {
  let yjs: Uint8Array | null = null;
  let tr: Y.Transaction | null = null;
  const onUpdate = (u: Uint8Array) => (yjs = u);
  const onTransaction = (t: Y.Transaction) => (tr = t);
  doc.on('update', onUpdate);
  doc.on('afterTransaction', onTransaction);
  try {
    change();
  } finally {
    doc.off('update', onUpdate);
    doc.off('afterTransaction', onTransaction);
  }
  return { ours: tr ? encodeTransactionUpdate(tr) : null, yjs };
}

/** A small deterministic generator: the same cases on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('encodeTransactionUpdate', () => {
  it('writes what Yjs emits, over random local edits of arrays, maps, text and nested types, with and without GC', () => {
    for (const gc of [true, false]) {
      const next = random(gc ? 7 : 11);
      const doc = new Y.Doc({ gc });
      const log = doc.getArray<unknown>('log');
      const tasks = doc.getMap<unknown>('tasks');
      const text = doc.getText('report');
      let compared = 0;
      for (let step = 0; step < 400; step++) {
        const { ours, yjs } = bothEncodings(doc, () =>
          doc.transact(() => {
            const edits = 1 + Math.floor(next() * 4);
            for (let e = 0; e < edits; e++) {
              const r = next();
              if (r < 0.25) log.push([JSON.stringify({ id: `e${step}-${e}`, text: 'x'.repeat(Math.floor(next() * 50)) })]);
              else if (r < 0.35 && log.length > 0) log.delete(Math.floor(next() * log.length), 1);
              else if (r < 0.5) tasks.set(`t${Math.floor(next() * 5)}`, Math.floor(next() * 100));
              else if (r < 0.6) {
                const task = new Y.Map<unknown>();
                tasks.set(`m${Math.floor(next() * 3)}`, task);
                task.set('title', `task ${step}`);
              } else if (r < 0.8) text.insert(Math.floor(next() * (text.length + 1)), 'abc'.slice(0, 1 + Math.floor(next() * 3)));
              else if (r < 0.9 && text.length > 0) text.delete(Math.floor(next() * text.length), 1 + Math.floor(next() * Math.min(3, text.length - 1)));
              else if (text.length > 1) text.format(0, 1 + Math.floor(next() * (text.length - 1)), { bold: next() < 0.5 ? true : null });
            }
          }),
        );
        expect(ours).toEqual(yjs);
        if (yjs) compared += 1;
      }
      expect(compared).toBeGreaterThan(300);
    }
  });

  it('writes what Yjs emits for remote updates: new clients, resends, partial overlaps and deletes of content already deleted', () => {
    const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const server = new Y.Doc();
    const next = random(3);
    const history: Uint8Array[] = [];
    let multiClient = 0;
    for (let step = 0; step < 300; step++) {
      const writer = writers[Math.floor(next() * writers.length)]!;
      const before = Y.encodeStateVector(writer);
      const arr = writer.getArray<string>('log');
      writer.transact(() => {
        if (next() < 0.7 || arr.length === 0) arr.push([`w${writer.clientID}-${step}`]);
        else arr.delete(Math.floor(next() * arr.length), 1);
      });
      const update = Y.encodeStateAsUpdate(writer, before);
      history.push(update);
      // Sometimes an edit made offline (sent later with the writer's whole state), a resend, the
      // writer's whole state (what the server has, plus new), or the update itself.
      const r = next();
      if (r < 0.3) continue;
      const sent = r < 0.4 ? history[Math.floor(next() * history.length)]! : r < 0.7 ? Y.encodeStateAsUpdate(writer) : update;
      const { ours, yjs } = bothEncodings(server, () => Y.applyUpdate(server, sent, 'remote'));
      expect(ours).toEqual(yjs);
      if (yjs && Y.decodeUpdate(yjs).structs.some((a, _i, all) => all.some((b) => b.id.client !== a.id.client))) multiClient += 1;
      // Keep the writers in step now and then, so that they delete each other's entries; and
      // let two writers sync directly, so that one update brings several clients' new structs.
      if (next() < 0.2) for (const w of writers) Y.applyUpdate(w, Y.encodeStateAsUpdate(server));
      if (next() < 0.4) Y.applyUpdate(writers[0]!, Y.encodeStateAsUpdate(writers[1]!));
    }
    expect(multiClient).toBeGreaterThan(2);
  });

  it('writes what Yjs emits for one update that brings several clients at once, some of them new, with deletes', () => {
    const server = new Y.Doc();
    const [a, b, c] = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    a.getArray<string>('log').push(['a1', 'a2']);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
    for (const d of [b, c]) Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
    // Offline: b and c write and delete, a writes more; then c gets everything and sends its whole state.
    b.getArray<string>('log').push(['b1']);
    b.getArray<string>('log').delete(0, 1);
    c.getMap<number>('tasks').set('t', 1);
    a.getArray<string>('log').push(['a3']);
    Y.applyUpdate(c, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(c, Y.encodeStateAsUpdate(a));
    const { ours, yjs } = bothEncodings(server, () => Y.applyUpdate(server, Y.encodeStateAsUpdate(c), 'remote'));
    expect(new Set(Y.decodeUpdate(yjs!).structs.map((s) => s.id.client)).size).toBe(3);
    expect(ours).toEqual(yjs);
  });

  it('is null for a transaction that changed nothing', () => {
    const doc = new Y.Doc();
    doc.getArray('log').push(['a']);
    const { ours, yjs } = bothEncodings(doc, () => Y.applyUpdate(doc, Y.encodeStateAsUpdate(doc)));
    expect(yjs).toBeNull();
    expect(ours).toBeNull();
  });
});
