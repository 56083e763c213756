import * as Y from 'yjs';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import type { IncidentSession, RejectedEdit } from '../../client/sdk/incidentSession';
import type { RunningServer } from '../../server/createServer';
import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { getIncidentState, sessionChanges } from '../helpers/sessions';
import { adminToken, api, createUser, setRole } from '../helpers/accounts';
import { CrisisClient } from '../../client/sdk/crisisClient';
import { onTeardown } from '../helpers/testServer';
import { EVENTS } from '../../shared/protocol/messages';

jest.setTimeout(60_000);

function collect(session: IncidentSession): RejectedEdit[] {
  const out: RejectedEdit[] = [];
  session.onRejected((_e, edit) => out.push(edit));
  return out;
}

/** An entry under someone else's name: the server refuses it (UPDATE_FORBIDDEN_AUTHOR). */
function forge(session: IncidentSession, text: string): string {
  return session.log.append(buildLogEntry({ text }, 'Mallory', session.now())).id;
}

/** The server's own copy of a document, as it holds it now. */
async function serverState(server: RunningServer, incidentId: string, part: 'log' | 'tasks'): Promise<Uint8Array> {
  const room = await server.rooms.get(docName(incidentId, part));
  return room.read((doc) => Y.encodeStateAsUpdate(doc));
}

function sameContent(a: Y.Doc, serverBytes: Uint8Array): void {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, serverBytes);
  expect(a.getArray('entries').toJSON()).toEqual(copy.getArray('entries').toJSON());
  expect(a.getArray('verifications').toJSON()).toEqual(copy.getArray('verifications').toJSON());
  // Nothing here that the server lacks.
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(copy));
}

describe('a refused edit never blocks', () => {
  test('a refused entry followed by three valid ones: the three land everywhere, the refusal carries the text, the copy equals the server', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const alice = await connectClient(server.url, 'Alice').openIncident(id);
    const bob = await connectClient(server.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const refused = collect(alice);

    const forgedId = forge(alice, 'Texte refusé de Mallory');
    const valid = ['Un', 'Deux', 'Trois'].map((text) => alice.appendLog({ text }).id);

    await waitFor(() => alice.pendingCount === 0 && refused.length === 1, sessionChanges(alice), 'refusal handled and the rest acknowledged');
    expect(refused[0]).toMatchObject({ part: 'log', error: { code: 'UPDATE_FORBIDDEN_AUTHOR' }, texts: ['Texte refusé de Mallory'] });
    expect(refused[0]!.entries.map((e) => e.id)).toEqual([forgedId]);

    const state = await getIncidentState(server.url, id);
    expect(state.log.map((e) => e.id)).toEqual(valid);
    await waitFor(() => bob.log.entries().length === 3, sessionChanges(bob), 'Bob sees the three');
    expect(bob.log.entries().map((e) => e.id)).toEqual(valid);
    expect(alice.log.entries().map((e) => e.id)).toEqual(valid);
    sameContent(alice.syncs.log.doc, await serverState(server, id, 'log'));

    // And the next edit goes straight through.
    const next = alice.appendLog({ text: 'Quatre' }).id;
    await waitFor(() => bob.log.entries().some((e) => e.id === next), sessionChanges(bob), 'the next entry lands');
    expect(refused).toHaveLength(1);
  });

  test("a reconnect's diff bundling a refused edit with valid ones lands the valid ones", async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const aliceClient = connectClient(server.url, 'Alice');
    const alice = await aliceClient.openIncident(id);
    const bob = await connectClient(server.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const refused = collect(alice);

    aliceClient.goOffline();
    const before = alice.appendLog({ text: 'Avant' }).id;
    forge(alice, 'Au nom de Mallory');
    const after = [alice.appendLog({ text: 'Après 1' }).id, alice.appendLog({ text: 'Après 2' }).id];
    // A task in the same diff's document set, and a field changed: other parts are untouched.
    const task = alice.createTask({ title: 'Isoler le serveur' });
    aliceClient.goOnline();

    await waitFor(() => alice.pendingCount === 0 && refused.length === 1, sessionChanges(alice), 'bundle split, valid edits acknowledged');
    expect(refused[0]).toMatchObject({ part: 'log', error: { code: 'UPDATE_FORBIDDEN_AUTHOR' }, texts: ['Au nom de Mallory'] });
    const state = await getIncidentState(server.url, id);
    expect(state.log.map((e) => e.id)).toEqual([before, ...after]);
    expect(state.tasks.map((t) => t.id)).toEqual([task.id]);
    await waitFor(() => bob.log.entries().length === 3, sessionChanges(bob), 'Bob sees the valid ones');
    sameContent(alice.syncs.log.doc, await serverState(server, id, 'log'));
  });

  test('a change to a sealed decision is refused and handed back; the decisions made after it land', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const alice = await connectClient(server.url, 'Alice').openIncident(id);
    const bob = await connectClient(server.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const sealed = alice.recordDecision({ title: 'Couper le VPN', statement: 'Tout couper' });
    alice.setDecisionStatus(sealed.id, 'approved');
    await alice.whenAcknowledged();
    const refused = collect(alice);

    alice.updateDecision(sealed.id, { title: 'Rétablir le VPN' });
    const next = [alice.recordDecision({ title: 'Prévenir l’ARS', statement: 'Appeler' }), alice.recordDecision({ title: 'Activer le plan blanc', statement: 'Oui' })];
    const task = alice.createTask({ title: 'Une tâche, autre document' });

    await waitFor(() => alice.pendingCount === 0 && refused.length === 1, sessionChanges(alice), 'refusal handled');
    expect(refused[0]).toMatchObject({ part: 'decisions', error: { code: 'UPDATE_SEALED' }, entries: [], texts: ['Rétablir le VPN'] });
    const state = await getIncidentState(server.url, id);
    expect(state.decisions.map((d) => d.title).sort()).toEqual(['Activer le plan blanc', 'Couper le VPN', 'Prévenir l’ARS']);
    expect(state.tasks.map((t) => t.id)).toEqual([task.id]);
    await waitFor(() => bob.decisions.list().length === 3, sessionChanges(bob), 'Bob sees them');
    expect(alice.decisions.get(sealed.id)?.title).toBe('Couper le VPN');
    expect(alice.decisions.list().map((d) => d.id).sort()).toEqual([sealed.id, ...next.map((d) => d.id)].sort());
  });

  test('views follow the reset document: session.log reads it, onChange(part) keeps notifying', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const alice = await connectClient(server.url, 'Alice').openIncident(id);
    const bob = await connectClient(server.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const oldDoc = alice.syncs.log.doc;
    const resets: string[] = [];
    alice.onReset((part) => resets.push(part));
    let changes = 0;
    alice.onChange('log', () => changes++);
    forge(alice, 'refusée');
    await waitFor(() => resets.length === 1 && alice.pendingCount === 0, sessionChanges(alice), 'reset');
    expect(resets).toEqual(['log']);
    expect(alice.syncs.log.doc).not.toBe(oldDoc);
    expect(alice.log.doc).toBe(alice.syncs.log.doc);
    const seen = changes;
    bob.appendLog({ text: 'de Bob' });
    await waitFor(() => changes > seen && alice.log.entries().length === 1, sessionChanges(alice), 'a change after the reset is signalled');
  });
});

describe('read-only means sending nothing', () => {
  /** Counts the document updates a client's socket sends. */
  function countUpdates(client: CrisisClient): { n: number } {
    const sent = { n: 0 };
    const emit = client.socket.emit.bind(client.socket);
    client.socket.emit = ((event: string, ...args: unknown[]) => {
      if (event === EVENTS.update) sent.n++;
      return emit(event, ...args);
    }) as typeof client.socket.emit;
    return sent;
  }

  async function refusedRows(url: string): Promise<unknown[]> {
    const reply = await api<{ events: Array<{ action: string }> }>(url, '/api/audit?limit=500', { token: await adminToken(url) });
    return reply.body.events.filter((e) => e.action === 'update.refused');
  }

  test('an observer who opens an incident whose records were overwritten sends no update (even before its role is known)', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const alice = await connectClient(server.url, 'Alice').openIncident(id);
    await alice.whenSynced();
    // Overwritten fields leave deletions in every copy: the diff a joining copy computed always held them.
    const task = alice.createTask({ title: 'Prévenir l’ARS' });
    alice.moveTask(task.id, 'in_progress');
    alice.assignTask(task.id, 'Alice');
    const d = alice.recordDecision({ title: 'Couper le VPN', statement: 'Tout couper' });
    alice.setDecisionStatus(d.id, 'approved');
    alice.appendLog({ text: 'Entrée' });
    await alice.whenAcknowledged();

    const watcher = await createUser(server.url, 'Directrice générale');
    expect((await setRole(server.url, id, watcher.id, 'observer')).status).toBe(200);
    const client = new CrisisClient({ url: server.url, name: watcher.name, token: watcher.token, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
    onTeardown(() => client.close());
    const sent = countUpdates(client);
    const observer = await client.openIncident(id);
    await observer.whenSynced();
    // A reconnect joins again with a copy that has everything: still nothing to send.
    client.goOffline();
    client.goOnline();
    await waitFor(() => client.status === 'live', (n) => client.onStatus(n), 'back online');
    await observer.whenSynced();
    expect(observer.tasks.list()).toHaveLength(1);
    expect(observer.pendingCount).toBe(0);

    // Once the role is known, even a local edit (a view that would write) is never sent.
    observer.setRole('observer');
    observer.appendLog({ text: 'ne doit pas partir' });
    await alice.whenAcknowledged();
    await observer.whenSynced();
    expect(sent.n).toBe(0);
    expect(await refusedRows(server.url)).toEqual([]);
  });
});
