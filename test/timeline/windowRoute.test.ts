import type { TimelineEvent } from '../../shared/timeline/events';
import { LANES } from '../../shared/timeline/picture/collector';
import { connectClient, createIncident, startTestServer, tempDir } from '../helpers/testServer';
import { adminToken, api, createUser, testUser } from '../helpers/accounts';
import { insiderCopy } from './helpers/tamper';

/**
 * The windowed timeline route (`GET /api/incidents/:id/timeline/window`) behind the browser's
 * picture: pages of a time window in the export's order, an overview counting every event of
 * the window, highlights above a page, bounds, bad queries refused, the export's read rights.
 */
jest.setTimeout(120_000);

interface WindowReply {
  total: number;
  events: TimelineEvent[];
  highlights: TimelineEvent[];
  nextCursor: string | null;
  overview: { buckets: number; lanes: string[]; counts: number[][] };
  span: { first: string | null; last: string | null };
  window: { from: string; to: string };
  deadlines: unknown[];
  integrity: { intact: boolean; problems: Array<{ kind: string; seq: number }> };
}

async function world() {
  const server = await startTestServer();
  const alice = await testUser(server.url, 'Alice');
  const id = await createIncident(server.url);
  const session = await connectClient(server.url, 'Alice').openIncident(id);
  await session.whenSynced();
  for (let i = 0; i < 30; i++) session.appendLog({ text: `Point ${i}`, category: i % 5 === 0 ? 'alert' : 'information', severity: i % 5 === 0 ? 'high' : 'medium', key: i === 7 });
  session.createTask({ title: 'Isoler le PACS' });
  await session.whenAcknowledged();
  const get = async (query: string, token = alice.token) => api<WindowReply>(server.url, `/api/incidents/${id}/timeline/window${query}`, { token });
  const exported = (await api<{ events: TimelineEvent[] }>(server.url, `/api/incidents/${id}/timeline?format=json`, { token: alice.token })).body.events;
  return { server, id, get, exported, session };
}

test('pages of the whole incident, cursor after cursor, are the JSON export, and the overview counts them all', async () => {
  const { get, exported } = await world();
  const seen: TimelineEvent[] = [];
  let cursor: string | null = '0';
  let first: WindowReply | null = null;
  while (cursor !== null) {
    const reply = await get(`?limit=7&cursor=${cursor}&buckets=10`);
    expect(reply.status).toBe(200);
    first ??= reply.body;
    seen.push(...reply.body.events);
    cursor = reply.body.nextCursor;
  }
  expect(seen.map((e) => e.id)).toEqual(exported.map((e) => e.id));
  expect(seen.map((e) => e.author)).toEqual(exported.map((e) => e.author));
  expect(first!.total).toBe(exported.length);
  expect(first!.overview.lanes).toEqual([...LANES]);
  expect(first!.overview.counts.flat().reduce((a, b) => a + b, 0)).toBe(exported.length);
  // More than a page: as many highlighted events come along, highest priorities first (the opening, the key fact), then high alerts.
  const marked = exported.filter((e) => e.kind === 'incident.opened' || (e.kind === 'log.entry' && (e.data.key || e.data.category === 'alert')));
  expect(first!.highlights).toHaveLength(7);
  expect(marked.map((e) => e.id)).toEqual(expect.arrayContaining(first!.highlights.map((e) => e.id)));
  expect(first!.highlights.map((e) => e.kind === 'log.entry' && e.data.key)).toContain(true);
  expect(first!.span.first).toBe(exported[0]!.at);
});

test('a window holds the events within its bounds (both included), and nothing else', async () => {
  const { get, exported } = await world();
  const from = exported[5]!.at;
  const to = exported[12]!.at;
  const reply = await get(`?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=100&buckets=0`);
  expect(reply.status).toBe(200);
  const inside = exported.filter((e) => e.at >= from && e.at <= to);
  expect(reply.body.events.map((e) => e.id)).toEqual(inside.map((e) => e.id));
  expect(reply.body.total).toBe(inside.length);
  expect(reply.body.nextCursor).toBeNull();
  expect(reply.body.highlights).toEqual([]);
  expect(reply.body.window).toEqual({ from, to });
  const empty = await get(`?from=2001-01-01T00:00:00.000Z&to=2001-01-02T00:00:00.000Z`);
  expect(empty.body.total).toBe(0);
  expect(empty.body.events).toEqual([]);
});

test('new entries show in the next answer (the replay is kept at the journal head)', async () => {
  const { get, session } = await world();
  const before = (await get('?limit=1')).body.total;
  session.appendLog({ text: 'Nouvelle entrée' });
  await session.whenAcknowledged();
  const after = await get('?limit=1000');
  expect(after.body.total).toBe(before + 1);
  expect(after.body.events.some((e) => e.kind === 'log.entry' && e.data.text === 'Nouvelle entrée')).toBe(true);
});

test.each([
  ['?limit=0', 'limit'],
  ['?limit=abc', 'limit'],
  ['?limit=5001', 'limit'],
  ['?cursor=-1', 'cursor'],
  ['?cursor=x', 'cursor'],
  ['?buckets=3000', 'buckets'],
  ['?from=yesterday', 'from'],
  ['?from=2026-03-02T00:00:00.000Z&to=2026-03-01T00:00:00.000Z', 'from'],
  ['?format=csv', 'format'],
])('a bad query %s is refused with BAD_REQUEST', async (query) => {
  const { get } = await world();
  const reply = await get(query);
  expect(reply.status).toBe(400);
  expect((reply.body as unknown as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
});

test('read rights are the export route’s: an outsider is refused by both', async () => {
  const { server, id, get } = await world();
  const outsider = await createUser(server.url, 'Oscar');
  const window = await get('', outsider.token);
  const exported = await api(server.url, `/api/incidents/${id}/timeline?format=json`, { token: outsider.token });
  expect(window.status).toBe(exported.status);
  expect(window.status).toBe(403);
  const anonymous = await api(server.url, `/api/incidents/${id}/timeline/window`);
  expect(anonymous.status).toBe(401);
});

test('a record rewritten in the database file: the window says the journal is not intact, naming it', async () => {
  const dataDir = tempDir('crisis-window-');
  const server = await startTestServer({ dataDir });
  const id = await createIncident(server.url);
  const token = await adminToken(server.url);
  for (let i = 1; i <= 3; i++) expect((await api(server.url, `/api/incidents/${id}/log`, { token, body: { text: `Constat numero ${i}` } })).status).toBe(201);
  const intact = await api<WindowReply>(server.url, `/api/incidents/${id}/timeline/window?limit=50`, { token });
  expect(intact.body.integrity).toEqual({ intact: true, problems: [] });
  await server.close();

  // An insider rewrites the second entry's bytes in a copy of the file (the append-only triggers dropped).
  const { dir, db } = insiderCopy(dataDir, tempDir('crisis-window-copy-'));
  const rows = db.prepare<[string], { seq: number; update_bytes: Buffer }>('SELECT seq, update_bytes FROM journal WHERE doc = ?').all(`${id}:log`);
  const row = rows.find((r) => r.update_bytes.includes('Constat numero 2'))!;
  const changed = Buffer.from(row.update_bytes.toString('latin1').replace('Constat numero 2', 'Constat numero 9'), 'latin1');
  db.prepare('UPDATE journal SET update_bytes = ? WHERE doc = ? AND seq = ?').run(changed, `${id}:log`, row.seq);
  db.close();

  const reopened = await startTestServer({ dataDir: dir });
  const broken = await api<WindowReply>(reopened.url, `/api/incidents/${id}/timeline/window?limit=50`, { token: await adminToken(reopened.url) });
  expect(broken.status).toBe(200);
  expect(broken.body.integrity.intact).toBe(false);
  expect(broken.body.integrity.problems).toEqual([expect.objectContaining({ kind: 'content', seq: row.seq })]);
});
