import type { TimelineEvent } from '../../shared/timeline/events';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import type { DocumentStore } from '../../server/storage/documentStore';
import { openTimeline } from '../../server/timeline/timeline';
import { stateAt } from '../../server/timeline/stateAt';
import { JournalReplayCache } from '../../server/timeline/replayCache';
import { connectClient, createIncident, startTestServer } from '../helpers/testServer';
import { testUser } from '../helpers/accounts';
import { seedManyEntries } from '../../bench/lib/seedLog';

/**
 * Handover and report drafts read the journal through a cache kept up to its head (issue 15,
 * item 4). Whatever was written since the last answer, the cached answer is the fresh replay's.
 */
jest.setTimeout(120_000);

async function collect(events: AsyncIterable<TimelineEvent[]>): Promise<TimelineEvent[]> {
  const out: TimelineEvent[] = [];
  for await (const batch of events) out.push(...batch);
  return out;
}

const FILTERS = [
  {},
  { kinds: ['log.entry', 'log.amendment', 'task.created', 'task.moved', 'task.done', 'decision.proposed', 'decision.approved'] },
  { kinds: ['log.verification'] },
  { categories: ['alert'] },
];

/** Every filter's cached timeline, and the state now, against a fresh replay of the journal. */
async function expectSameAsFresh(store: DocumentStore, cache: JournalReplayCache, id: string, window: { from?: string; to?: string }): Promise<void> {
  for (const f of FILTERS) {
    const filter = TimelineFilterSchema.parse({ ...f, ...window });
    const fresh = await collect((await openTimeline(store, id, filter)).events);
    if (Object.keys(f).length === 0) expect(fresh.length).toBeGreaterThan(0);
    expect(await collect(await cache.timeline(id, filter))).toEqual(fresh);
  }
  const now = new Date();
  expect(await cache.stateAt(id, now)).toEqual(await stateAt(store, id, now));
}

test('the cached timeline and state equal a fresh replay, after new entries, amendments, verifications, moves and approvals', async () => {
  const server = await startTestServer({ logSealGraceSeconds: 120 });
  await testUser(server.url, 'Alice');
  const id = await createIncident(server.url);
  const session = await connectClient(server.url, 'Alice').openIncident(id);
  await session.whenSynced();
  const cache = new JournalReplayCache(server.store);

  const first = session.appendLog({ text: 'Messagerie coupée' });
  session.appendLog({ text: 'Connexions suspectes', category: 'alert' });
  const task = session.createTask({ title: 'Isoler le PACS', assignee: 'Bob' });
  const decision = session.recordDecision({ title: 'Couper internet', statement: 'On coupe' });
  await session.whenAcknowledged();
  await expectSameAsFresh(server.store, cache, id, {});

  const between = new Date().toISOString();

  // Written after the cache's last answer: replayed from where it stopped.
  session.amend(first.id, { text: 'Messagerie coupée depuis 8 h' });
  session.setVerification(first.id, 'confirmed', 'vu avec la DSI');
  session.moveTask(task.id, 'in_progress');
  session.setDecisionStatus(decision.id, 'approved', 'validé');
  session.appendLog({ text: 'Sauvegardes intactes', key: true });
  await session.whenAcknowledged();
  await expectSameAsFresh(server.store, cache, id, {});
  await expectSameAsFresh(server.store, cache, id, { from: between });

  // A time before the last record: answered by a fresh replay, the same as stateAt's.
  expect(await cache.stateAt(id, new Date(between))).toEqual(await stateAt(server.store, id, new Date(between)));
});

test('a withdrawal after the cached answer marks the entry withdrawn, as a fresh replay does', async () => {
  const server = await startTestServer({ logSealGraceSeconds: 120 });
  await testUser(server.url, 'Alice');
  const id = await createIncident(server.url);
  const session = await connectClient(server.url, 'Alice').openIncident(id);
  await session.whenSynced();
  const cache = new JournalReplayCache(server.store);
  const gone = session.appendLog({ text: 'Standrad saturé (coquille)', key: true });
  await session.whenAcknowledged();
  await expectSameAsFresh(server.store, cache, id, {});
  // Withdrawn by its author (a typo), then written again: the log part is replayed again.
  session.log.array.delete(session.log.entries().findIndex((e) => e.id === gone.id), 1);
  session.appendLog({ text: 'Standard saturé', key: true });
  await session.whenAcknowledged();
  await expectSameAsFresh(server.store, cache, id, {});
  const marked = (await collect(await cache.timeline(id, TimelineFilterSchema.parse({})))).find((e) => e.kind === 'log.entry' && e.data.entryId === gone.id);
  expect(marked?.kind === 'log.entry' && marked.data.withdrawn).toEqual({ at: expect.any(String) });
});

test('a long timeline comes in slices with the event loop turning between them, each answer as of its question', async () => {
  const server = await startTestServer({});
  await testUser(server.url, 'Alice');
  const id = await createIncident(server.url);
  await seedManyEntries(server, id, 12_000);
  const cache = new JournalReplayCache(server.store);
  const everything = TimelineFilterSchema.parse({});
  const asked = await cache.timeline(id, everything);

  // Written after the question: a later answer has it, the first one does not.
  const session = await connectClient(server.url, 'Alice').openIncident(id);
  await session.whenSynced();
  session.appendLog({ text: 'Écrit après la question' });
  await session.whenAcknowledged();
  const later = await collect(await cache.timeline(id, everything));

  let before = -1;
  const seen: TimelineEvent[] = [];
  setImmediate(() => {
    before = seen.length;
  });
  for await (const batch of asked) seen.push(...batch);
  expect(seen.filter((e) => e.kind === 'log.entry')).toHaveLength(12_000);
  expect(later.length).toBe(seen.length + 1);
  // A slice or so of events before the event loop's next turn, not all of them.
  expect(before).toBeGreaterThan(0);
  expect(before).toBeLessThan(seen.length / 2);
});
