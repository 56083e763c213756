import * as Y from 'yjs';
import { applyAlone } from '../../server/parts/rules/updateAlone';

/** The check on a document holding one update alone (server/documents/guard/readerVisibility.ts). */
describe('applyAlone', () => {
  function updatesOf(doc: Y.Doc, edits: Array<(d: Y.Doc) => void>): Uint8Array[] {
    return edits.map((edit) => {
      const before = Y.encodeStateVector(doc);
      doc.transact(() => edit(doc));
      return Y.encodeStateAsUpdate(doc, before);
    });
  }

  it("integrates a writer's later update without its earlier items, where Y.applyUpdate alone integrates nothing", () => {
    const writer = new Y.Doc();
    const [, second] = updatesOf(writer, [
      (d) => d.getMap('records').set('a', new Y.Map([['title', 'first']])),
      (d) => d.getMap('records').set('b', new Y.Map<unknown>([['title', 'second'], ['status', 'todo']])),
    ]);
    const plain = new Y.Doc();
    Y.applyUpdate(plain, second!);
    expect(plain.getMap('records').has('b')).toBe(false);

    const alone = new Y.Doc();
    applyAlone(alone, second!);
    const b = alone.getMap('records').get('b') as Y.Map<unknown>;
    expect(b.toJSON()).toEqual({ title: 'second', status: 'todo' });
    // Nothing of the first update shows: only placeholders stand for it.
    expect([...alone.getMap('records').keys()]).toEqual(['b']);
    expect(Y.encodeStateVector(alone)).toEqual(Y.encodeStateVector(writer));
  });

  it('leaves out an item placed next to an earlier one of its writer (callers treat it as unknown)', () => {
    const writer = new Y.Doc();
    const [, second] = updatesOf(writer, [(d) => d.getArray('entries').push(['one']), (d) => d.getArray('entries').push(['two'])]);
    const alone = new Y.Doc();
    applyAlone(alone, second!);
    expect(alone.getArray('entries').toArray()).toEqual([]);
  });

  it('applies a first update as Y.applyUpdate does, and several writers each from where their items begin', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const [first] = updatesOf(a, [(d) => d.getMap('records').set('x', 1)]);
    Y.applyUpdate(b, first!);
    updatesOf(b, [(d) => d.getMap('records').set('y', 2)]);
    const [later] = updatesOf(a, [(d) => d.getMap('records').set('z', 3)]);
    const merged = Y.mergeUpdates([later!, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))]);
    const alone = new Y.Doc();
    applyAlone(alone, merged);
    expect(alone.getMap('records').toJSON()).toEqual({ y: 2, z: 3 });
    const fresh = new Y.Doc();
    applyAlone(fresh, first!);
    expect(fresh.getMap('records').toJSON()).toEqual({ x: 1 });
  });
});
