import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { collectRejections, connectClientWith, getIncidentState, logIds, sessionChanges } from '../helpers/sessions';
import { docName } from '../../shared/model/parts';
import type { RunningServer } from '../../server/createServer';

async function expectGapFreeJournal(server: RunningServer, id: string): Promise<void> {
  for (const part of ['log', 'tasks'] as const) {
    const name = docName(id, part);
    const seqs = (await server.store.readJournal(name, 0)).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await server.store.headSeq(name)).toBe(seqs.length);
  }
}

test('edits made offline are kept, sent on reconnect, and merged with what others did meanwhile', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const clientA = connectClient(server.url, 'Alice');
  const a = await clientA.openIncident(id);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  const rejections = collectRejections(a, b);

  const first = a.appendLog({ text: 'Cellule de crise ouverte', category: 'action' });
  const toMove = a.createTask({ title: 'Prévenir l’ARS' });
  await a.whenAcknowledged();
  await waitFor(() => b.log.length === 1 && b.tasks.get(toMove.id) !== null, sessionChanges(b), 'b sees the starting state');

  clientA.goOffline();
  expect(clientA.status).toBe('offline');
  expect(clientA.socket.connected).toBe(false);

  const offline = [1, 2, 3].map((i) => a.appendLog({ text: `Noté hors ligne ${i}`, severity: 'medium' }).id);
  const created = a.createTask({ title: 'Basculer en mode dégradé', priority: 'urgent' });
  a.moveTask(toMove.id, 'in_progress');
  // 3 log entries + 1 task creation + 1 move, each one transaction, none acknowledged.
  expect(a.pendingCount).toBe(5);
  expect(a.syncs.log.pendingCount).toBe(3);
  expect(a.syncs.tasks.pendingCount).toBe(2);

  const online = [1, 2].map((i) => b.appendLog({ text: `Noté en ligne ${i}`, category: 'communication' }).id);
  await b.whenAcknowledged();

  // While A is away: the server has B's entries only, A has its own only.
  const during = await getIncidentState(server.url, id);
  expect(during.log.map((e) => e.id)).toEqual(expect.arrayContaining([first.id, ...online]));
  expect(during.log).toHaveLength(3);
  expect(during.tasks.map((t) => t.id)).toEqual([toMove.id]);
  expect(during.tasks[0]!.status).toBe('todo');
  expect(a.log.length).toBe(4);
  expect(a.pendingCount).toBe(5);

  clientA.goOnline();
  await waitFor(
    () =>
      a.pendingCount === 0 &&
      a.log.length === 6 &&
      b.log.length === 6 &&
      b.tasks.get(created.id) !== null &&
      b.tasks.get(toMove.id)?.status === 'in_progress',
    sessionChanges(a, b),
    'a and b converge',
  );
  expect(clientA.status).toBe('live');
  expect(a.pendingCount).toBe(0);
  expect(rejections).toEqual([]);

  // Nothing lost, same order on both sides and on the server.
  const order = logIds(a);
  expect(logIds(b)).toEqual(order);
  expect([...order].sort()).toEqual([first.id, ...offline, ...online].sort());
  expect(b.tasks.list()).toEqual(a.tasks.list());
  expect(a.tasks.list().map((t) => [t.id, t.status])).toEqual(
    expect.arrayContaining([
      [toMove.id, 'in_progress'],
      [created.id, 'todo'],
    ]),
  );
  expect(a.tasks.list()).toHaveLength(2);

  const after = await getIncidentState(server.url, id);
  expect(after.log.map((e) => e.id)).toEqual(order);
  expect(after.tasks).toEqual(a.tasks.list());
  await expectGapFreeJournal(server, id);
});

test('a client that starts offline keeps its edits and delivers them when it first connects', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await b.whenSynced();
  const earlier = b.appendLog({ text: 'Avant l’arrivée de Chloé' });
  await b.whenAcknowledged();

  // Never connected: autoConnect off, the session opens on an empty local copy.
  const clientC = connectClientWith(server.url, 'Chloé', { autoConnect: false });
  const c = await clientC.openIncident(id);
  expect(clientC.socket.connected).toBe(false);
  expect(c.syncs.log.isSynced).toBe(false);
  const rejections = collectRejections(b, c);

  const mine = [c.appendLog({ text: 'Saisi avant connexion 1' }).id, c.appendLog({ text: 'Saisi avant connexion 2', key: true }).id];
  const task = c.createTask({ title: 'Recenser les postes infectés' });
  expect(c.pendingCount).toBe(3);
  expect(c.log.length).toBe(2);
  expect(c.meta.get()).toBeNull();

  clientC.goOnline();
  await waitFor(
    () => c.pendingCount === 0 && c.log.length === 3 && b.log.length === 3 && b.tasks.get(task.id) !== null,
    sessionChanges(b, c),
    'c delivered its offline edits',
  );
  expect(clientC.status).toBe('live');
  expect(rejections).toEqual([]);
  expect(c.meta.get()?.title).toBe('Cyberattaque CHU');

  const order = logIds(c);
  expect(logIds(b)).toEqual(order);
  expect([...order].sort()).toEqual([earlier.id, ...mine].sort());
  expect(b.tasks.get(task.id)).toEqual(task);

  const state = await getIncidentState(server.url, id);
  expect(state.log.map((e) => e.id)).toEqual(order);
  expect(state.tasks).toEqual([task]);
  await expectGapFreeJournal(server, id);
});
