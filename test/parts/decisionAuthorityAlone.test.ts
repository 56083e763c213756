import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import { checkDecisionAuthority } from '../../server/parts/decisions/authority';

/**
 * The decision-authority check judges new decisions on the update alone (rules/updateAlone.ts).
 * An id that had a value before (a removed proposal) must not be judged there: an entry placed
 * after the removed one wins in the document and is missing alone, where another entry of the
 * same update could pass for the record.
 */
describe('decision authority on an id that had a value', () => {
  function withClient(client: number): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = client;
    return doc;
  }

  function updateOf(doc: Y.Doc, edit: (decisions: Y.Map<unknown>) => void): Uint8Array {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => edit(doc.getMap<unknown>(ROOTS.decisions)));
    return Y.encodeStateAsUpdate(doc, before);
  }

  it('refuses an approval placed after a removed proposal, whatever a proposal of the same update shows alone', () => {
    const server = withClient(100);
    const id = 'decision-1';
    // A member's proposal, then its removal: the id keeps a deleted entry in the document.
    const member = withClient(5);
    Y.applyUpdate(server, updateOf(member, (d) => d.set(id, new Y.Map<unknown>([['status', 'proposed']]))));
    Y.applyUpdate(server, updateOf(member, (d) => d.delete(id)));

    // One update, two entries for the id: an approval after the removed proposal (it needs
    // that entry, missing alone) and a proposal from a writer that never saw it.
    const replica = withClient(3);
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const approval = updateOf(replica, (d) => d.set(id, new Y.Map<unknown>([['status', 'approved']])));
    const proposal = updateOf(withClient(1), (d) => d.set(id, new Y.Map<unknown>([['status', 'proposed']])));
    const update = Y.mergeUpdates([approval, proposal]);

    // In the document, the approval is what the id reads.
    const result = new Y.Doc();
    Y.applyUpdate(result, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(result, update);
    expect((result.getMap<unknown>(ROOTS.decisions).get(id) as Y.Map<unknown>).get('status')).toBe('approved');

    expect(checkDecisionAuthority(server, update, new Set([id]))).toMatchObject({ code: 'DECISION_AUTHORITY' });
  });
});
