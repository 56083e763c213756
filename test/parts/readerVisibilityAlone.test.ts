import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { checkRecordsRead } from '../../server/documents/guard/readerVisibility';
import { partModule } from '../../server/parts/registry';
import { readRecordOf } from '../../shared/docs/reader';

/**
 * The record check tries a new record on the update alone (rules/updateAlone.ts). An id that
 * had a value before (a removed record) must be judged on the copy: an entry placed after the
 * removed one wins in the document and is missing alone, where another entry of the same update
 * could pass for the record.
 */
describe('record check on an id that had a value', () => {
  function withClient(client: number): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = client;
    return doc;
  }

  function updateOf(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => edit(doc));
    return Y.encodeStateAsUpdate(doc, before);
  }

  it('refuses a half task placed after a removed one, whatever a whole task of the same update shows alone', () => {
    // A whole task from a writer that never saw the id's history: it fixes the id.
    let id = '';
    const whole = updateOf(withClient(1), (d) => (id = new TaskBoardDoc(d).create({ title: 'Rappeler les patients' }, 'Bob', new Date()).id));
    const server = withClient(100);
    const member = withClient(5);
    Y.applyUpdate(server, updateOf(member, (d) => d.getMap(ROOTS.tasks).set(id, new Y.Map<unknown>([['title', 'ancienne']]))));
    Y.applyUpdate(server, updateOf(member, (d) => d.getMap(ROOTS.tasks).delete(id)));
    // A half task after the removed entry (it needs that entry, missing alone).
    const replica = withClient(3);
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const half = updateOf(replica, (d) => d.getMap(ROOTS.tasks).set(id, new Y.Map<unknown>([['title', 'HALF']])));
    const update = Y.mergeUpdates([half, whole]);

    // In the document, the half task is what the id holds, and no reader reads it.
    const result = new Y.Doc();
    Y.applyUpdate(result, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(result, update);
    expect((result.getMap<unknown>(ROOTS.tasks).get(id) as Y.Map<unknown>).get('title')).toBe('HALF');
    expect(readRecordOf('tasks', result, id)).toBeNull();

    expect(checkRecordsRead(partModule('tasks'), server, update, new Set([id]))).toMatchObject({ code: 'UPDATE_INVISIBLE' });
  });
});
