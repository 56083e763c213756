import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { connectRaw, emitAck, joinRaw } from '../helpers/rawSocket';
import { sessionChanges } from '../helpers/sessions';
import type { IncidentSession, Presence } from '../../client/sdk/incidentSession';
import { docName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import { LIMITS } from '../../shared/protocol/limits';

function presenceChanges(session: IncidentSession): (notify: () => void) => () => void {
  return (notify) => {
    const handler = () => notify();
    session.syncs.meta.awareness.on('change', handler);
    return () => session.syncs.meta.awareness.off('change', handler);
  };
}

function presenceOf(session: IncidentSession): Presence[] {
  return [...session.presence().values()].sort((x, y) => x.name.localeCompare(y.name));
}

/** An awareness update for `clientId`, as a peer impersonating it would build one. */
function forgedAwareness(clientId: number, state: Record<string, unknown> | null): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  try {
    awareness.setLocalState({ name: 'placeholder' });
    if (state === null) removeAwarenessStates(awareness, [clientId], 'test');
    else awareness.setLocalState(state);
    return encodeAwarenessUpdate(awareness, [clientId]);
  } finally {
    awareness.destroy();
    doc.destroy();
  }
}

/**
 * `writer` appends a log entry and `reader` waits until it sees it. The server handles a
 * connection's messages in order and relays presence synchronously but log updates only after
 * their commit, so once the reader has the entry it has every presence message sent before it.
 */
async function barrier(writer: IncidentSession, reader: IncidentSession): Promise<void> {
  const entry = writer.appendLog({ text: 'barrière' });
  await waitFor(() => reader.log.find(entry.id) !== undefined, sessionChanges(reader), 'barrier entry');
}

test('presence set by one client shows at the other and disappears when it disconnects', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const clientA = connectClient(server.url, 'Alice');
  const a = await clientA.openIncident(id);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  const aliceId = a.syncs.meta.doc.clientID;
  expect(b.presence().size).toBe(0);

  a.setPresence({ name: 'Alice', view: 'log' });
  await waitFor(() => b.presence().size === 1, presenceChanges(b), 'b sees alice');
  expect(b.presence().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });

  a.setPresence({ name: 'Alice', view: 'tasks' });
  await waitFor(() => b.presence().get(aliceId)?.view === 'tasks', presenceChanges(b), 'b sees alice move');
  expect(presenceOf(b)).toEqual([{ name: 'Alice', view: 'tasks' }]);

  b.setPresence({ name: 'Bob', view: 'decisions' });
  await waitFor(() => a.presence().size === 2, presenceChanges(a), 'a sees bob');
  expect(presenceOf(a)).toEqual([
    { name: 'Alice', view: 'tasks' },
    { name: 'Bob', view: 'decisions' },
  ]);

  // A client joining later gets the current presence in its join reply.
  const c = await connectClient(server.url, 'Chloé').openIncident(id);
  await c.whenSynced();
  expect(presenceOf(c)).toEqual([
    { name: 'Alice', view: 'tasks' },
    { name: 'Bob', view: 'decisions' },
  ]);

  clientA.goOffline();
  await waitFor(() => !b.presence().has(aliceId), presenceChanges(b), 'alice gone at b');
  expect(presenceOf(b)).toEqual([{ name: 'Bob', view: 'decisions' }]);
  await waitFor(() => !c.presence().has(aliceId), presenceChanges(c), 'alice gone at c');
  expect(presenceOf(c)).toEqual([{ name: 'Bob', view: 'decisions' }]);
  const relay = server.rooms.peek(docName(id, 'meta'))!.presence.awareness;
  expect(relay.getStates().has(aliceId)).toBe(false);
});

test('presence comes back after a client reconnects', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const clientA = connectClient(server.url, 'Alice');
  const a = await clientA.openIncident(id);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  const aliceId = a.syncs.meta.doc.clientID;

  a.setPresence({ name: 'Alice', view: 'log' });
  await waitFor(() => b.presence().has(aliceId), presenceChanges(b), 'b sees alice');
  clientA.goOffline();
  await waitFor(() => !b.presence().has(aliceId), presenceChanges(b), 'alice gone at b');

  clientA.goOnline();
  await a.whenSynced();
  expect(a.presence().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
  await barrier(a, b);
  // Alice is connected again and still has her presence set: the others must see her.
  expect(b.presence().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
  const relay = server.rooms.peek(docName(id, 'meta'))!.presence.awareness;
  expect(relay.getStates().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
});

test('a connection cannot speak for another connection\'s client id, nor send garbage presence', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const meta = docName(id, 'meta');
  const a = await connectClient(server.url, 'Alice').openIncident(id);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  const aliceId = a.syncs.meta.doc.clientID;
  a.setPresence({ name: 'Alice', view: 'log' });
  await waitFor(() => b.presence().has(aliceId), presenceChanges(b), 'b sees alice');

  const raw = await connectRaw(server.url, 'Mallory');
  // Not joined yet: refused.
  expect(await emitAck(raw, EVENTS.awareness, { doc: meta, update: forgedAwareness(123_456, { name: 'Mallory', view: 'log' }) })).toMatchObject({
    ok: false,
    error: { code: 'NOT_JOINED' },
  });
  const joined = await joinRaw(raw, meta);
  // The join reply carries Alice's presence.
  const seen = new Awareness(new Y.Doc());
  applyAwarenessUpdate(seen, joined.awareness!, 'test');
  expect(seen.getStates().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
  seen.destroy();

  const relay = server.rooms.peek(meta)!.presence.awareness;
  const refused = async (update: Uint8Array, code: string) => {
    const reply = await emitAck(raw, EVENTS.awareness, { doc: meta, update });
    expect(reply).toMatchObject({ ok: false, error: { code } });
    expect(relay.getStates().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
  };
  await refused(forgedAwareness(aliceId, { name: 'Mallory', view: 'decisions' }), 'AWARENESS_INVALID');
  await refused(forgedAwareness(aliceId, null), 'AWARENESS_INVALID');
  await refused(Uint8Array.from([1, 2, 3, 250, 251]), 'AWARENESS_INVALID');
  await refused(forgedAwareness(7_777, { name: 'x'.repeat(LIMITS.maxAwarenessBytes) }), 'PAYLOAD_TOO_LARGE');

  // Its own client id is fine, and relayed.
  const mallory = 424_242;
  expect(await emitAck(raw, EVENTS.awareness, { doc: meta, update: forgedAwareness(mallory, { name: 'Mallory', view: 'tasks' }) })).toEqual({ ok: true });
  await waitFor(() => b.presence().has(mallory), presenceChanges(b), 'b sees mallory');
  await barrier(a, b);
  expect(presenceOf(b)).toEqual([
    { name: 'Alice', view: 'log' },
    { name: 'Mallory', view: 'tasks' },
  ]);
  expect(b.presence().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });
  expect(a.presence().get(aliceId)).toEqual({ name: 'Alice', view: 'log' });

  // Once Mallory claimed an id, Alice's connection cannot take it over either.
  const stolen = forgedAwareness(mallory, { name: 'Alice?', view: 'log' });
  const aliceSocket = (a.syncs.meta as unknown as { socket: import('socket.io-client').Socket }).socket;
  expect(await emitAck(aliceSocket, EVENTS.awareness, { doc: meta, update: stolen })).toMatchObject({ ok: false, error: { code: 'AWARENESS_INVALID' } });

  // Mallory leaves: her presence goes with her connection.
  raw.disconnect();
  await waitFor(() => !b.presence().has(mallory), presenceChanges(b), 'mallory gone');
  expect(presenceOf(b)).toEqual([{ name: 'Alice', view: 'log' }]);
});
