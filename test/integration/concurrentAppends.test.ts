import * as Y from 'yjs';
import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { collectRejections, getIncidentState, logIds, nextTurn, sessionChanges } from '../helpers/sessions';
import { docName } from '../../shared/model/parts';
import { LogDoc } from '../../shared/docs/logDoc';
import { testUser } from '../helpers/accounts';

const WRITERS = ['Alice', 'Bruno', 'Chloé'] as const;
const QUOTAS = [334, 333, 333];
const TOTAL = 1_000;
/** Entries each writer appends per event-loop turn: the three writers' bursts interleave. */
const BURST = 7;

test('three clients appending 1,000 entries concurrently converge on one identical, gap-free log', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const sessions = await Promise.all(WRITERS.map((name) => connectClient(server.url, name).openIncident(id)));
  await Promise.all(sessions.map((s) => s.whenSynced()));
  const rejections = collectRejections(...sessions);

  const created: string[][] = WRITERS.map(() => []);
  await Promise.all(
    sessions.map(async (session, w) => {
      const mine = created[w]!;
      while (mine.length < QUOTAS[w]!) {
        for (let k = 0; k < BURST && mine.length < QUOTAS[w]!; k++) {
          mine.push(session.appendLog({ text: `${WRITERS[w]} #${mine.length}`, category: 'information', tags: [`w${w}`] }).id);
        }
        await nextTurn();
      }
    }),
  );
  expect(created.map((c) => c.length)).toEqual(QUOTAS);

  await waitFor(
    () => sessions.every((s) => s.pendingCount === 0 && s.log.length === TOTAL),
    sessionChanges(...sessions),
    'all three acknowledged with 1,000 entries each',
  );
  await Promise.all(sessions.map((s) => s.whenAcknowledged()));
  expect(rejections).toEqual([]);

  // Same order everywhere.
  const order = logIds(sessions[0]!);
  expect(order).toHaveLength(TOTAL);
  expect(logIds(sessions[1]!)).toEqual(order);
  expect(logIds(sessions[2]!)).toEqual(order);

  // Exactly the entries created, each once.
  const all = created.flat();
  expect(new Set(order).size).toBe(TOTAL);
  expect([...order].sort()).toEqual([...all].sort());
  // Each writer's own entries keep the order it wrote them in.
  for (const mine of created) expect(order.filter((x) => mine.includes(x))).toEqual(mine);

  // REST serves the same ordered log.
  const state = await getIncidentState(server.url, id);
  expect(state.log.map((e) => e.id)).toEqual(order);
  expect(state.log).toEqual(sessions[0]!.log.entries());

  // The journal: gap-free seqs 1..N, matching the room, and replaying it rebuilds the same log.
  const name = docName(id, 'log');
  const records = await server.store.readJournal(name, 0);
  const n = records.length;
  expect(n).toBeGreaterThan(0);
  expect(records.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(await server.store.headSeq(name)).toBe(n);
  expect(server.rooms.peek(name)?.seq).toBe(n);
  // The journal names each writer by user id, from its credentials.
  const userIds = await Promise.all(WRITERS.map(async (w) => (await testUser(server.url, w)).id));
  expect(new Set(records.map((r) => r.author))).toEqual(new Set(userIds));
  // The writers really were interleaved on the server, not committed one after the other.
  const switches = records.filter((r, i) => i > 0 && r.author !== records[i - 1]!.author).length;
  expect(switches).toBeGreaterThanOrEqual(10);
  const replay = new Y.Doc();
  for (const r of records) Y.applyUpdate(replay, r.update);
  expect(replay.store.pendingStructs).toBeNull();
  expect(new LogDoc(replay).entries().map((e) => e.id)).toEqual(order);
});
