import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { DECISION_HISTORY_KEY, DECISION_STATEMENT_KEY, DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { writeFields } from '../../shared/docs/yfields';
import { EVENTS } from '../../shared/protocol/messages';
import { DOC_PARTS, ROOTS, docName } from '../../shared/model/parts';
import type { DocName } from '../../shared/model/parts';
import type { RunningServer } from '../../server/createServer';
import { adminUser, api, createIncidentAsAdmin, createUser, setRole, type TestUser } from '../helpers/accounts';
import { emitAck, incidentSnapshot, joinRaw, type AnyReply } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/testServer';
import { socketAs, transactionUpdate } from './securityHelpers';

/**
 * Issue 13, item 9: a member proposes, a director approves, rejects, supersedes or revokes. The
 * rule holds on the server whatever the client sends; an incident may let its members decide
 * (PUT /api/incidents/:id/decision-authority, the director's).
 */

interface World {
  server: RunningServer;
  url: string;
  id: string;
  director: TestUser;
  alice: TestUser;
  names: Record<(typeof DOC_PARTS)[number], DocName>;
}

async function world(): Promise<World> {
  const server = await startTestServer();
  const url = server.url;
  const id = await createIncidentAsAdmin(url, 'Rançongiciel', { membersMayApprove: false });
  const alice = await createUser(url, 'Alice Martin');
  expect((await setRole(url, id, alice.id, 'member')).status).toBe(200);
  const names = Object.fromEntries(DOC_PARTS.map((p) => [p, docName(id, p)])) as World['names'];
  return { server, url, id, director: await adminUser(url), alice, names };
}

/** A replica of the decisions as the server has them, as `socket` sees them after joining. */
async function decisionsReplica(socket: Socket, w: World): Promise<Y.Doc> {
  return (await joinRaw(socket, w.names.decisions)).doc;
}

function send(socket: Socket, w: World, update: Uint8Array): Promise<AnyReply> {
  return emitAck(socket, EVENTS.update, { doc: w.names.decisions, update });
}

/** Everything a reader of the incident can see: documents, journal heads, REST state, the list, an export's head. */
async function everything(w: World): Promise<unknown> {
  const token = w.director.token;
  const state = await api(w.url, `/api/incidents/${w.id}`, { token });
  const list = await api(w.url, '/api/incidents', { token });
  const exported = await fetch(`${w.url}/api/incidents/${w.id}/timeline?format=json`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await exported.json()) as { events?: unknown };
  return { docs: await incidentSnapshot(w.server, w.id), state: state.body, list: list.body, head: exported.headers.get('x-journal-head'), events: body.events };
}

/** A member's proposal, recorded through a raw socket; its id. */
async function propose(socket: Socket, w: World, title: string, author: string): Promise<string> {
  const replica = await decisionsReplica(socket, w);
  let id = '';
  const update = transactionUpdate(replica, (d) => {
    id = new DecisionsDoc(d).record({ title, statement: 'Texte', status: 'proposed' }, author, new Date()).id;
  });
  expect(await send(socket, w, update)).toMatchObject({ ok: true });
  return id;
}

describe('decision authority (issue 13 item 9)', () => {
  test('a member proposes; their approval, rejection, supersession and approved record are refused with DECISION_AUTHORITY and nothing changes', async () => {
    const w = await world();
    const alice = await socketAs(w.url, w.alice);
    const proposal = await propose(alice, w, 'Couper le VPN', w.alice.name);

    const before = await everything(w);
    const attempts: Array<[string, (d: DecisionsDoc) => void]> = [
      ['approve', (d) => d.setStatus(proposal, 'approved', w.alice.name, new Date())],
      ['reject', (d) => d.setStatus(proposal, 'rejected', w.alice.name, new Date())],
      ['record as approved', (d) => d.record({ title: 'Fermer les urgences', status: 'approved' }, w.alice.name, new Date())],
      ['supersede', (d) => d.record({ title: 'Couper aussi le Wi-Fi', status: 'proposed', supersedes: proposal }, w.alice.name, new Date())],
    ];
    for (const [what, act] of attempts) {
      const replica = await decisionsReplica(alice, w);
      const reply = await send(alice, w, transactionUpdate(replica, (d) => act(new DecisionsDoc(d))));
      expect({ what, reply }).toMatchObject({ what, reply: { ok: false, error: { code: 'DECISION_AUTHORITY' } } });
    }
    expect(await everything(w)).toEqual(before);
    const state = await api<{ decisions: Array<{ id: string; status: string }> }>(w.url, `/api/incidents/${w.id}`, { token: w.director.token });
    expect(state.body.decisions.map((d) => [d.id, d.status])).toEqual([[proposal, 'proposed']]);

    // A member may not lift the rule either: the setting is the director's.
    const lift = await api<{ error: { code: string } }>(w.url, `/api/incidents/${w.id}/decision-authority`, { method: 'PUT', token: w.alice.token, body: { membersMayApprove: true } });
    expect(lift.status).toBe(403);
    expect(lift.body.error.code).toBe('FORBIDDEN');
    expect(await everything(w)).toEqual(before);
  });

  test("a member's later records from one replica are judged the same: another proposal passes, a record as approved is refused", async () => {
    const w = await world();
    const alice = await socketAs(w.url, w.alice);
    // One replica throughout: from its second update on, its items follow its own earlier ones.
    const replica = await decisionsReplica(alice, w);
    const record = (input: Parameters<DecisionsDoc['record']>[0]) => transactionUpdate(replica, (d) => void new DecisionsDoc(d).record(input, w.alice.name, new Date()));
    expect(await send(alice, w, record({ title: 'Couper le VPN', statement: 'Texte', status: 'proposed' }))).toMatchObject({ ok: true });
    expect(await send(alice, w, record({ title: 'Prévenir la CNIL', statement: 'Sous 72 heures', status: 'proposed' }))).toMatchObject({ ok: true });
    const before = await everything(w);
    expect(await send(alice, w, record({ title: 'Fermer les urgences', status: 'approved' }))).toMatchObject({ ok: false, error: { code: 'DECISION_AUTHORITY' } });
    expect(await everything(w)).toEqual(before);
  });

  test("a member's approval merged with a forged copy of their earlier clocks (showing a proposal) is refused, and nothing changes", async () => {
    const w = await world();
    const alice = await socketAs(w.url, w.alice);
    const replica = await decisionsReplica(alice, w);
    const first = transactionUpdate(replica, (d) => void new DecisionsDoc(d).record({ title: 'Couper le VPN', statement: 'x'.repeat(400), status: 'proposed' }, w.alice.name, new Date()));
    expect(await send(alice, w, first)).toMatchObject({ ok: true });
    const before = await everything(w);
    let approved!: ReturnType<DecisionsDoc['record']>;
    const fresh = transactionUpdate(replica, (d) => {
      approved = new DecisionsDoc(d).record({ title: 'Fermer les urgences', statement: 'Go', status: 'approved' }, w.alice.name, new Date());
    });
    // The same client id's clocks 0.., which the server already has, forged to hold the new id as a proposal.
    const forger = new Y.Doc();
    forger.clientID = replica.clientID;
    forger.transact(() => {
      const map = new Y.Map<unknown>();
      forger.getMap(ROOTS.decisions).set(approved.id, map);
      const { statement, history, ...fields } = approved;
      writeFields(map, { ...fields, status: 'proposed', decidedBy: null, decidedAt: null });
      map.set(DECISION_STATEMENT_KEY, new Y.Text(statement));
      const list = new Y.Array<unknown>();
      map.set(DECISION_HISTORY_KEY, list);
      list.push([{ ...history[0], status: 'proposed' }]);
    });
    const update = Y.mergeUpdates([Y.encodeStateAsUpdate(forger), fresh]);
    expect(await send(alice, w, update)).toMatchObject({ ok: false, error: { code: 'DECISION_AUTHORITY' } });
    expect(await everything(w)).toEqual(before);
  });

  test("a director's approval passes and reaches the member", async () => {
    const w = await world();
    const alice = await socketAs(w.url, w.alice);
    const proposal = await propose(alice, w, 'Basculer en mode dégradé', w.alice.name);
    const director = await socketAs(w.url, w.director);
    const replica = await decisionsReplica(director, w);
    const reply = await send(director, w, transactionUpdate(replica, (d) => new DecisionsDoc(d).setStatus(proposal, 'approved', w.director.name, new Date())));
    expect(reply).toMatchObject({ ok: true });
    const seen = new DecisionsDoc(await decisionsReplica(alice, w)).get(proposal);
    expect(seen).toMatchObject({ status: 'approved', decidedBy: w.director.name });
  });

  test("with the incident's setting on, a member's approval passes", async () => {
    const w = await world();
    const set = await api<{ membersMayApprove: boolean }>(w.url, `/api/incidents/${w.id}/decision-authority`, { method: 'PUT', token: w.director.token, body: { membersMayApprove: true } });
    expect(set).toMatchObject({ status: 200, body: { membersMayApprove: true } });
    const alice = await socketAs(w.url, w.alice);
    const proposal = await propose(alice, w, 'Prévenir la presse', w.alice.name);
    const replica = await decisionsReplica(alice, w);
    expect(await send(alice, w, transactionUpdate(replica, (d) => new DecisionsDoc(d).setStatus(proposal, 'approved', w.alice.name, new Date())))).toMatchObject({ ok: true });
    const state = await api<{ decisions: Array<{ id: string; status: string }>; meta: { membersMayApprove?: boolean } }>(w.url, `/api/incidents/${w.id}`, { token: w.director.token });
    expect(state.body.meta.membersMayApprove).toBe(true);
    expect(state.body.decisions.find((d) => d.id === proposal)?.status).toBe('approved');
  });
});
