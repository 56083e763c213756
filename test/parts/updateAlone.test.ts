import * as Y from 'yjs';
import { applyAlone } from '../../server/parts/rules/updateAlone';

/** The check on a document holding one update alone (server/documents/guard/readerVisibility.ts). */
describe('applyAlone', () => {
  function edit(doc: Y.Doc, change: (d: Y.Doc) => void): Uint8Array {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => change(doc));
    return Y.encodeStateAsUpdate(doc, before);
  }

  function withClient(client: number): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = client;
    return doc;
  }

  it("integrates a writer's later update without its earlier items, where Y.applyUpdate alone integrates nothing", () => {
    const writer = withClient(7);
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(writer, (d) => d.getMap('records').set('a', new Y.Map([['title', 'first']]))));
    const second = edit(writer, (d) => d.getMap('records').set('b', new Y.Map<unknown>([['title', 'second'], ['status', 'todo']])));
    const plain = new Y.Doc();
    Y.applyUpdate(plain, second);
    expect(plain.getMap('records').has('b')).toBe(false);

    const alone = new Y.Doc();
    expect(applyAlone(alone, second, server)).toBe(true);
    expect((alone.getMap('records').get('b') as Y.Map<unknown>).toJSON()).toEqual({ title: 'second', status: 'todo' });
    // Nothing of the first update shows: only placeholders stand for it.
    expect([...alone.getMap('records').keys()]).toEqual(['b']);
  });

  it('leaves out an item placed next to an earlier one of its writer (it lands there in the document, never in a new record)', () => {
    const writer = withClient(7);
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(writer, (d) => d.getArray('entries').push(['one'])));
    const alone = new Y.Doc();
    expect(applyAlone(alone, edit(writer, (d) => d.getArray('entries').push(['two'])), server)).toBe(true);
    expect(alone.getArray('entries').toArray()).toEqual([]);
  });

  it('shows nothing of items at clocks the document already has, whatever they hold', () => {
    const writer = withClient(7);
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(writer, (d) => d.getMap('records').set('a', 'genuine')));
    // Another content under the same clocks (a forgery), merged with a genuine new item.
    const forged = edit(withClient(7), (d) => d.getMap('records').set('x', 'forged'));
    const update = Y.mergeUpdates([forged, edit(writer, (d) => d.getMap('records').set('b', 'new'))]);
    const alone = new Y.Doc();
    expect(applyAlone(alone, update, server)).toBe(true);
    expect(alone.getMap('records').toJSON()).toEqual({ b: 'new' });
  });

  it("says so when an item waits for another writer's item, which only the document has", () => {
    const other = withClient(50);
    const server = new Y.Doc();
    Y.applyUpdate(server, edit(other, (d) => d.getText('statement').insert(0, 'abc')));
    const writer = withClient(900);
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
    const update = edit(writer, (d) => {
      d.getText('statement').insert(3, 'd');
      d.getMap('records').set('n', 'new');
    });
    const alone = new Y.Doc();
    expect(applyAlone(alone, update, server)).toBe(false);
  });

  it('applies several writers each from where the document has them', () => {
    const a = withClient(3);
    const b = withClient(4);
    const server = new Y.Doc();
    const first = edit(a, (d) => d.getMap('records').set('x', 1));
    Y.applyUpdate(server, first);
    Y.applyUpdate(b, first);
    const fromB = edit(b, (d) => d.getMap('records').set('y', 2));
    const later = edit(a, (d) => d.getMap('records').set('z', 3));
    const alone = new Y.Doc();
    expect(applyAlone(alone, Y.mergeUpdates([later, fromB]), server)).toBe(true);
    expect(alone.getMap('records').toJSON()).toEqual({ y: 2, z: 3 });
    const fresh = new Y.Doc();
    expect(applyAlone(fresh, first, new Y.Doc())).toBe(true);
    expect(fresh.getMap('records').toJSON()).toEqual({ x: 1 });
  });
});
