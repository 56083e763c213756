import fs from 'node:fs';
import * as Y from 'yjs';
import { MemoryDatabase } from '../../server/storage/memory/memoryDatabase';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { InProcessBus, InProcessFanout } from '../../server/fanout/inProcessFanout';
import type { RunningServer } from '../../server/createServer';
import { connectClient, createIncident, startTestServer, tempDir, waitFor } from '../helpers/testServer';
import { collectRejections, sessionChanges } from '../helpers/sessions';
import { linkWorlds, testUser } from '../helpers/accounts';
import { docName, type DocName } from '../../shared/model/parts';
import { LogDoc } from '../../shared/docs/logDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';

/**
 * Two server nodes in one process, as two processes on one PostgreSQL and one Redis would be:
 * each has its own handle on one in-memory database (journal, locks and accounts shared) and its
 * own fan-out on one in-process bus (or, to cut them apart, on buses of their own). Real HTTP and
 * socket.io clients talk to each node.
 */
async function startNodes(options: { oneBus: boolean }): Promise<{ a: RunningServer; b: RunningServer; database: MemoryDatabase }> {
  const database = new MemoryDatabase();
  const shared = new InProcessBus();
  const node = (nodeId: string) =>
    startTestServer({ nodeId, databaseUrl: 'memory:' }, { store: new MemoryStore(database), fanout: new InProcessFanout(nodeId, options.oneBus ? shared : new InProcessBus()) });
  // One after the other: the first creates the test administrator in the shared accounts, the second finds it.
  const a = await node('node-a');
  const b = await node('node-b');
  linkWorlds(a.url, b.url);
  return { a, b, database };
}

/** The document as the journal alone rebuilds it, read through a handle of the test's own. */
async function replayJournal(database: MemoryDatabase, doc: DocName): Promise<{ doc: Y.Doc; authors: string[] }> {
  const handle = new MemoryStore(database);
  try {
    const records = await handle.readJournal(doc, 0);
    const replay = new Y.Doc();
    for (const r of records) Y.applyUpdate(replay, r.update);
    return { doc: replay, authors: records.map((r) => r.author) };
  } finally {
    await handle.close();
  }
}

test('a server started with DATABASE_URL=memory: keeps its journal and accounts in memory, and writes no database file', async () => {
  const dataDir = tempDir();
  const server = await startTestServer({ databaseUrl: 'memory:', dataDir });
  const health = (await (await fetch(`${server.url}/healthz`)).json()) as { storage: string };
  expect(health.storage).toBe('memory');
  const id = await createIncident(server.url);
  const alice = await connectClient(server.url, 'Alice').openIncident(id);
  await alice.whenSynced();
  alice.appendLog({ text: 'Messagerie coupée', category: 'alert', severity: 'high' });
  await alice.whenAcknowledged();
  expect(await server.store.headSeq(docName(id, 'log'))).toBe(1);
  expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('crisis-cell.db'))).toEqual([]);
});

describe('two nodes in one process: one in-memory journal, one in-process bus', () => {
  it('an entry written through node A reaches a client of node B, and is in the shared journal once', async () => {
    const { a, b, database } = await startNodes({ oneBus: true });
    expect([a.store.shared, b.store.shared]).toEqual([true, true]);
    const id = await createIncident(a.url);
    const alice = await connectClient(a.url, 'Alice').openIncident(id);
    const bob = await connectClient(b.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    // Node B serves the incident node A created: one registry.
    expect(bob.meta.get()?.title).toBe('Cyberattaque CHU');

    const entry = alice.appendLog({ text: 'Messagerie coupée', category: 'alert', severity: 'high' });
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.length === 1, sessionChanges(bob), 'the entry reaches Bob on node B');
    expect(bob.log.entries()[0]).toEqual(entry);

    const journal = await replayJournal(database, docName(id, 'log'));
    expect(new LogDoc(journal.doc).entries()).toEqual([entry]);
    expect(journal.authors).toEqual([(await testUser(a.url, 'Alice')).id]);
    // Both nodes read the same head: nobody journaled the entry a second time on its way across.
    expect(await b.store.headSeq(docName(id, 'log'))).toBe(await a.store.headSeq(docName(id, 'log')));
  });

  it('a decision approved through node B is sealed for a writer on node A', async () => {
    const { a, b, database } = await startNodes({ oneBus: true });
    const id = await createIncident(a.url);
    const alice = await connectClient(a.url, 'Alice').openIncident(id);
    const bob = await connectClient(b.url, 'Bob').openIncident(id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    const decision = alice.recordDecision({ title: 'Couper internet', statement: 'On coupe tout', rationale: 'Exfiltration en cours' });
    await alice.whenAcknowledged();
    await waitFor(() => bob.decisions.get(decision.id) !== null, sessionChanges(bob), 'the proposal reaches Bob');

    bob.setDecisionStatus(decision.id, 'approved');
    await bob.whenAcknowledged();
    await waitFor(() => alice.decisions.get(decision.id)?.status === 'approved', sessionChanges(alice), 'the approval reaches Alice on node A');
    const rejections = collectRejections(alice);
    alice.updateDecision(decision.id, { rationale: 'Par précaution' });
    await waitFor(() => rejections.length > 0, (notify) => alice.onRejected(notify), 'the edit is refused');
    expect(rejections).toEqual([expect.objectContaining({ code: 'UPDATE_SEALED' })]);

    const journal = await replayJournal(database, docName(id, 'decisions'));
    expect(new DecisionsDoc(journal.doc).get(decision.id)).toMatchObject({ status: 'approved', rationale: 'Exfiltration en cours' });
    expect(journal.authors).toHaveLength(2);
  });

  it('a node that has not heard of a seal catches up from the shared journal under the document lock before admitting an edit', async () => {
    // Buses of their own: node B learns of node A's commits only by reading the journal, so its
    // copy still shows the decision unsealed when Bob edits it.
    const { a, b, database } = await startNodes({ oneBus: false });
    const id = await createIncident(a.url);
    const alice = await connectClient(a.url, 'Alice').openIncident(id);
    await alice.whenSynced();
    const decision = alice.recordDecision({ title: 'Couper internet', statement: 'On coupe tout', rationale: 'Exfiltration en cours' });
    await alice.whenAcknowledged();
    const bob = await connectClient(b.url, 'Bob').openIncident(id);
    await bob.whenSynced();
    expect(bob.decisions.get(decision.id)?.status).toBe('proposed');

    alice.setDecisionStatus(decision.id, 'approved');
    await alice.whenAcknowledged();
    expect(bob.decisions.get(decision.id)?.status).toBe('proposed');
    const rejections = collectRejections(bob);
    bob.updateDecision(decision.id, { rationale: 'Par précaution' });
    await waitFor(() => rejections.length > 0, (notify) => bob.onRejected(notify), 'the edit is refused');
    expect(rejections).toEqual([expect.objectContaining({ code: 'UPDATE_SEALED' })]);
    await waitFor(() => bob.decisions.get(decision.id)?.status === 'approved', sessionChanges(bob), 'the approval reaches Bob');

    const journal = await replayJournal(database, docName(id, 'decisions'));
    expect(new DecisionsDoc(journal.doc).get(decision.id)).toMatchObject({ status: 'approved', rationale: 'Exfiltration en cours', statement: 'On coupe tout' });
    expect(journal.authors).toHaveLength(2);
  });
});
