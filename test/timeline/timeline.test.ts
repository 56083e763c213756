import { TimelineExportSchema, type TimelineExport } from '../../shared/timeline/exportDocument';
import type { TimelineEvent } from '../../shared/timeline/events';
import { suiteServer } from './helpers/suiteServer';
import { type ScriptedIncident, playScriptedIncident } from './helpers/scriptedIncident';
import { cli } from './helpers/cli';

const suite = suiteServer();
let incident: ScriptedIncident;

beforeAll(async () => {
  incident = await playScriptedIncident(suite());
});

async function exportJson(query = ''): Promise<TimelineExport> {
  const res = await suite().fetch(`/api/incidents/${incident.id}/timeline?format=json&by=Commandant%20des%20op%C3%A9rations${query}`);
  expect(res.status).toBe(200);
  return TimelineExportSchema.parse(await res.json());
}

function summary(events: TimelineEvent[]) {
  return events.map((e) => ({ kind: e.kind, author: e.author, authorId: e.authorId }));
}

/** Position of the n-th event of a kind in the full timeline. */
function indexOf(events: TimelineEvent[], kind: TimelineEvent['kind'], n = 0): number {
  const found = events.flatMap((e, i) => (e.kind === kind ? [i] : []))[n];
  if (found === undefined) throw new Error(`no ${kind} #${n}`);
  return found;
}

test('the timeline lists exactly the scripted events, in order, with their authors and journal records', async () => {
  const doc = await exportJson();
  expect(summary(doc.events)).toEqual(incident.expected.map(({ kind, author, authorId }) => ({ kind, author, authorId })));
  doc.events.forEach((e, i) => {
    if (incident.expected[i]!.data) expect(e.data).toMatchObject(incident.expected[i]!.data!);
  });
  // Server time never goes back; each journal event names its record and that record's hash.
  const times = doc.events.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const fromJournal = doc.events.filter((e) => !e.kind.startsWith('member.'));
  expect(fromJournal).toHaveLength(incident.expected.length - 5);
  for (const e of fromJournal) expect(e.ref).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  // Membership changes come from the audit trail: no journal record, the audit entry's id.
  for (const e of doc.events.filter((x) => x.kind.startsWith('member.'))) expect([e.ref, e.id]).toEqual([null, expect.stringMatching(/^audit:\d+$/)]);
  expect(doc.events[0]!.ref!.part).toBe('meta');
  // The author's own event time is kept beside the server time.
  const e1 = doc.events[indexOf(doc.events, 'log.entry')]!;
  expect(e1.eventAt).not.toBeNull();
  expect(Date.parse(e1.eventAt!)).toBeLessThan(Date.parse(e1.at));
  expect(doc.eventCount).toBe(incident.expected.length);
  expect(doc.integrity).toEqual({ intact: true, problems: [] });
});

test('the header states the incident, range, production time, producer and journal head', async () => {
  const before = Date.now();
  const doc = await exportJson();
  expect(doc.incident).toMatchObject({ id: incident.id, title: 'Cyberattaque — rançongiciel au CHU', status: 'closed' });
  // The authenticated requester produces it: `by` no longer names the producer.
  expect(doc.producedBy).toBe(`Administrator <${incident.people.admin.email}>`);
  expect(Date.parse(doc.producedAt)).toBeGreaterThanOrEqual(before);
  expect(doc.range).toEqual({ from: doc.incident.openedAt, to: doc.producedAt });
  expect(doc.journal.heads.map((h) => h.part)).toEqual(['meta', 'log', 'tasks', 'decisions', 'reports', 'regulatory']);
  const head = (part: string) => doc.journal.heads.find((h) => h.part === part)!;
  // Each head is the last record the export holds for its document.
  for (const part of ['meta', 'log', 'tasks', 'decisions']) {
    const last = doc.events.filter((e) => e.ref?.part === part).at(-1)!;
    expect(head(part)).toEqual({ part, seq: last.ref!.seq, hash: last.ref!.hash });
  }
  expect(doc.journal.headRef).toBe(`${doc.journal.heads.map((h) => h.seq).join('-')}:${doc.journal.headHash}`);
  expect(doc.deadlines).toEqual([expect.objectContaining({ id: 'cnil-72h', due: new Date(Date.parse(doc.incident.detectedAt!) + 72 * 3_600_000).toISOString() })]);
});

test('filters by kinds, categories, authors and time range', async () => {
  const logOnly = await exportJson('&kinds=log');
  expect(logOnly.events.map((e) => e.kind)).toEqual(['log.entry', 'log.entry', 'log.amendment']);

  const alerts = await exportJson('&kinds=log&categories=alert');
  expect(alerts.events.map((e) => e.data)).toMatchObject([{ entryId: incident.ids.e1 }, { entryId: incident.ids.a1 }]);

  const bobs = await exportJson(`&authors=${encodeURIComponent('Bob Œuvray')}`);
  expect(summary(bobs.events)).toEqual(summary((await exportJson()).events).filter((e) => e.author === 'Bob Œuvray'));
  expect(bobs.events).toHaveLength(5);
  // People can be named by user id too (what the journal holds).
  const bobsById = await exportJson(`&authors=${incident.people.bob.id}`);
  expect(summary(bobsById.events)).toEqual(summary(bobs.events));

  // Membership changes, with who made them.
  const members = await exportJson('&kinds=member');
  expect(members.events.map((e) => [e.kind, e.author, (e.data as { member: string }).member, (e.data as { role: string | null }).role])).toEqual([
    ['member.joined', 'Administrator', 'Administrator', 'director'],
    ['member.joined', 'Administrator', 'Alice Lefèvre', 'director'],
    ['member.joined', 'Administrator', 'Bob Œuvray', 'member'],
    ['member.role_changed', 'Alice Lefèvre', 'Bob Œuvray', 'director'],
    ['member.left', 'Alice Lefèvre', 'Bob Œuvray', 'director'],
  ]);

  const decisions = await exportJson('&kinds=decision.approved,decision.superseded');
  expect(decisions.events.map((e) => e.kind)).toEqual(['decision.approved', 'decision.approved', 'decision.superseded']);

  // Events strictly between the amendment and the decision's approval: the task's whole life, Bob's promotion and the proposal.
  const all = (await exportJson()).events;
  const from = new Date(Date.parse(all[indexOf(all, 'log.amendment')]!.at) + 1).toISOString();
  const to = new Date(Date.parse(all[indexOf(all, 'decision.approved')]!.at) - 1).toISOString();
  const window = await exportJson(`&from=${from}&to=${to}`);
  expect(window.events.map((e) => e.kind)).toEqual(['task.created', 'task.assigned', 'task.moved', 'task.done', 'member.role_changed', 'decision.proposed']);
  expect(window.range).toEqual({ from, to });
  // A task created before the window still has its name when it moves inside it.
  const late = await exportJson(`&from=${new Date(Date.parse(all[indexOf(all, 'task.moved')]!.at)).toISOString()}&kinds=task`);
  expect(late.events.map((e) => [e.kind, (e.data as { title: string }).title])).toEqual([
    ['task.moved', 'Isoler le réseau d’imagerie'],
    ['task.done', 'Isoler le réseau d’imagerie'],
  ]);
});

test('refuses bad queries with a clear error and a code', async () => {
  const base = `/api/incidents/${incident.id}/timeline`;
  const cases = ['?format=docx', '?from=yesterday', '?kinds=log.deleted', '?categories=gossip', '?tz=Mars/Olympus', '?unknown=1', `?from=${new Date().toISOString()}&to=${new Date(0).toISOString()}`];
  for (const q of cases) {
    const res = await suite().fetch(base + q);
    expect([q, res.status]).toEqual([q, 400]);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
  }
  // An incident that does not exist looks like one the caller is not a member of (docs/SECURITY.md: a non-member learns nothing).
  const missing = await suite().fetch('/api/incidents/0000000000000000/timeline');
  expect(missing.status).toBe(403);
  // Without credentials, or as someone who is not a member, nothing is exported.
  expect((await fetch(`${suite().server.url}${base}`)).status).toBe(401);
  expect((await suite().fetch(base, { as: 'Mallory (non-membre)' })).status).toBe(403);
});

test('the routes take an access check and a requester from the accounts work', async () => {
  const express = (await import('express')).default;
  const { timelineRoutes } = await import('../../server/transport/http/routes/timelineRoutes');
  const { errorHandler } = await import('../../server/transport/http/errorHandler');
  const { AppError } = await import('../../server/errors');
  const { server } = suite();
  const seen: Array<[string, string]> = [];
  const app = express();
  app.use(
    '/api',
    timelineRoutes({
      store: server.store,
      timeline: server.timeline,
      checkpoints: server.checkpoints,
      logger: server.logger,
      authorize: async (req, _res, id, action) => {
        seen.push([id, action]);
        if (req.headers['x-user'] !== 'directrice') throw new AppError('FORBIDDEN', 'not a member');
      },
      requester: (req) => (typeof req.headers['x-user'] === 'string' ? req.headers['x-user'] : null),
    }),
  );
  app.use(errorHandler(server.logger));
  const http = await import('node:http');
  const listener = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  try {
    const base = `http://127.0.0.1:${(listener.address() as { port: number }).port}/api/incidents/${incident.id}`;
    expect((await fetch(`${base}/timeline?by=Usurpateur`)).status).toBe(403);
    expect((await fetch(`${base}/checkpoints`, { method: 'POST' })).status).toBe(403);
    const ok = await fetch(`${base}/timeline?by=Usurpateur`, { headers: { 'x-user': 'directrice' } });
    expect(TimelineExportSchema.parse(await ok.json()).producedBy).toBe('directrice');
    expect(seen).toEqual([
      [incident.id, 'read'],
      [incident.id, 'sign'],
      [incident.id, 'read'],
    ]);
  } finally {
    await new Promise((resolve) => listener.close(resolve));
  }
});

test('the CLI, on the same database, names the same people and lists the same membership changes', async () => {
  // The CLI reads the audit table; the server writes its audit in batches every 100 ms.
  await suite().server.security.audit.flush();
  const viaCli = await cli(['export', incident.id, '--format', 'json'], { DATA_DIR: suite().dataDir });
  expect(viaCli.code).toBe(0);
  const doc = TimelineExportSchema.parse(JSON.parse(viaCli.stdout));
  expect(summary(doc.events)).toEqual(incident.expected.map(({ kind, author, authorId }) => ({ kind, author, authorId })));
  expect(doc.events).toEqual((await exportJson()).events);
});
