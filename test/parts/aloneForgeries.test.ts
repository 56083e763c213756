import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import { DecisionsDoc, DECISION_HISTORY_KEY, DECISION_STATEMENT_KEY } from '../../shared/docs/decisionsDoc';
import { writeFields } from '../../shared/docs/yfields';
import { checkDecisionAuthority } from '../../server/parts/decisions/authority';
import { checkRecordsRead } from '../../server/documents/guard/readerVisibility';
import { inspectUpdate } from '../../server/documents/guard/updateGuard';
import { decisionsPart } from '../../server/parts/decisions';

/**
 * Updates built so that the update alone (rules/updateAlone.ts) shows another record than the
 * document would: the checks must judge what the document would hold (found by review).
 */
describe('record checks against updates that read differently alone', () => {
  function serverWithProposal(client: number): { server: Y.Doc; member: Y.Doc } {
    const server = new Y.Doc();
    server.clientID = 1;
    server.getMap(ROOTS.decisions);
    const member = new Y.Doc();
    member.clientID = client;
    new DecisionsDoc(member).record({ title: 'Proposition antérieure', statement: 'x'.repeat(500), status: 'proposed' }, 'Alice', new Date());
    Y.applyUpdate(server, Y.encodeStateAsUpdate(member));
    return { server, member };
  }

  /**
   * Decision `id` holding `fields`, written by client `client` from its clock 0: under clocks the
   * server already has, a forged resend (Yjs skips it there unread); else a plain new record.
   */
  function recordFrom(client: number, id: string, fields: Record<string, unknown>, statement: string, history: unknown[]): Uint8Array {
    const writer = new Y.Doc();
    writer.clientID = client;
    writer.transact(() => {
      const map = new Y.Map<unknown>();
      writer.getMap(ROOTS.decisions).set(id, map);
      writeFields(map, { ...fields, id });
      map.set(DECISION_STATEMENT_KEY, new Y.Text(statement));
      const h = new Y.Array<unknown>();
      map.set(DECISION_HISTORY_KEY, h);
      h.push(history);
    });
    return Y.encodeStateAsUpdate(writer);
  }

  function resultOf(server: Y.Doc, update: Uint8Array): DecisionsDoc {
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(scratch, update);
    return new DecisionsDoc(scratch);
  }

  it("refuses a member's approval merged with a forged copy of earlier clocks showing it as a proposal", () => {
    const { server, member } = serverWithProposal(7);
    const before = Y.encodeStateVector(member);
    const approved = new DecisionsDoc(member).record({ title: 'Fermer les urgences', statement: 'Go', status: 'approved' }, 'Alice', new Date());
    const fresh = Y.encodeStateAsUpdate(member, before);
    const { statement, history, ...fields } = approved;
    const resend = recordFrom(7, approved.id, { ...fields, status: 'proposed', decidedBy: null, decidedAt: null }, statement, [{ ...history[0], status: 'proposed' }]);
    const update = Y.mergeUpdates([resend, fresh]);
    expect(resultOf(server, update).get(approved.id)?.status).toBe('approved');
    const touched = inspectUpdate(server, decisionsPart.policy, update).touchedRecords;
    expect(checkDecisionAuthority(server, update, touched)).toMatchObject({ code: 'DECISION_AUTHORITY' });
  });

  it('refuses a half record merged with a forged copy of earlier clocks showing a whole one', () => {
    const { server, member } = serverWithProposal(7);
    const before = Y.encodeStateVector(member);
    const id = 'a'.repeat(21);
    member.getMap(ROOTS.decisions).set(id, new Y.Map<unknown>([['title', 'moitié']]));
    const fresh = Y.encodeStateAsUpdate(member, before);
    const whole = new DecisionsDoc(new Y.Doc()).record({ title: 'ok', statement: 's', status: 'proposed' }, 'Alice', new Date());
    const { statement, history, ...fields } = whole;
    const update = Y.mergeUpdates([recordFrom(7, id, fields, statement, history), fresh]);
    expect(resultOf(server, update).get(id)).toBeNull();
    const touched = inspectUpdate(server, decisionsPart.policy, update).touchedRecords;
    expect(checkRecordsRead(decisionsPart, server, update, touched)).toMatchObject({ code: 'UPDATE_INVISIBLE' });
  });

  it("refuses a half record whose writer's earlier item waits alone for another writer's, behind a whole one", () => {
    const server = new Y.Doc();
    server.getMap(ROOTS.decisions);
    const director = new Y.Doc();
    director.clientID = 50;
    const existing = new DecisionsDoc(director).record({ title: 'X', statement: 'abc', status: 'proposed' }, 'Dir', new Date());
    Y.applyUpdate(server, Y.encodeStateAsUpdate(director));
    const id = 'b'.repeat(21);
    const a = new Y.Doc();
    a.clientID = 900;
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(a);
    // An edit placed after the director's text (missing alone), then a half record.
    a.transact(() => new DecisionsDoc(a).statementText(existing.id).insert(3, 'd'));
    a.getMap(ROOTS.decisions).set(id, new Y.Map<unknown>([['title', 'moitié']]));
    const fromA = Y.encodeStateAsUpdate(a, before);
    const whole = new DecisionsDoc(new Y.Doc()).record({ title: 'ok', statement: 's', status: 'proposed' }, 'Alice', new Date());
    const { statement, history, ...fields } = whole;
    const update = Y.mergeUpdates([fromA, recordFrom(100, id, fields, statement, history)]);
    expect(resultOf(server, update).get(id)).toBeNull();
    const touched = inspectUpdate(server, decisionsPart.policy, update).touchedRecords;
    expect(checkRecordsRead(decisionsPart, server, update, touched)).toMatchObject({ code: 'UPDATE_INVISIBLE' });
  });
});
