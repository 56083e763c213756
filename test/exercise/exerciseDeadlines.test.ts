import type { ExercisePublic } from '../../shared/exercise/exerciseState';
import { exerciseTimeText } from '../../shared/exercise/exerciseTime';
import type { RegulatoryOverview } from '../../server/incidents/regulatoryService';
import { api } from '../helpers/accounts';
import { poll } from '../helpers/poll';
import { startTestServer } from '../helpers/testServer';
import { exerciseWorld } from './exerciseWorld';

const HOUR_S = 3_600;

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeEach(async () => {
  server = await startTestServer({ databaseUrl: 'memory:' });
});

test('in an exercise the regulatory overview counts on the exercise clock: the CNIL 72 h shrink by the exercise hours played and stand still while paused', async () => {
  const w = await exerciseWorld(server.url);
  const overview = async () => (await api<RegulatoryOverview>(server.url, `/api/incidents/${w.id}/regulatory`, { token: w.player.token })).body;
  const exerciseSeconds = async () => (await api<ExercisePublic>(server.url, `/api/incidents/${w.id}/exercise/public`, { token: w.player.token })).body.exerciseSeconds;
  // ×3600: one exercise hour a real second.
  expect((await w.animate('/speed', { factor: 3_600 }, 'PUT')).status).toBe(200);
  expect((await w.animate('/start')).status).toBe(200);

  // The director records the breach awareness now (a real instant, as the documents keep it).
  const before = await exerciseSeconds();
  const awareAt = new Date().toISOString();
  const set = await api(server.url, `/api/incidents/${w.id}/regulatory/clocks`, { token: w.admin, method: 'PUT', body: { breachAwareAt: awareAt } });
  expect(set.status).toBe(200);
  const after = await exerciseSeconds();

  const first = await overview();
  expect([first.time, first.timeLabel, first.exercise!.clock.status, first.exercise!.clock.factor]).toEqual(['exercise', 'Horloge d’exercice', 'running', 3_600]);
  const cnil = first.clocks.find((c) => c.id === 'cnil-72h')!;
  expect(cnil.time).toBe('exercise');
  expect(cnil.label).toBe('Notification CNIL (72 h) — horloge d’exercice');
  // The real instants stay as recorded; the count is in exercise time.
  expect([cnil.from, cnil.due]).toEqual([awareAt, new Date(Date.parse(awareAt) + 72 * HOUR_S * 1000).toISOString()]);
  const { fromSeconds, dueSeconds } = cnil.exercise!;
  expect(fromSeconds).toBeGreaterThanOrEqual(before);
  expect(fromSeconds).toBeLessThanOrEqual(after);
  expect(dueSeconds - fromSeconds).toBe(72 * HOUR_S);

  // Two exercise hours later (two real seconds), 70 h at most remain: the real clock would still say almost 72 h.
  const later = await poll(overview, (o) => o.exercise!.exerciseSeconds >= fromSeconds + 2 * HOUR_S, { timeoutMs: 30_000, label: 'two exercise hours' });
  const again = later.clocks.find((c) => c.id === 'cnil-72h')!;
  expect(again.exercise!.dueSeconds).toBeCloseTo(dueSeconds, 3);
  const remaining = again.exercise!.dueSeconds - later.exercise!.exerciseSeconds;
  expect(remaining).toBeLessThanOrEqual(70 * HOUR_S);
  expect(remaining).toBeGreaterThan(0);
  // The real instant the exercise clock reaches the deadline, at ×3600: about 72 real seconds after awareness, not 72 hours.
  expect(Date.parse(again.exercise!.dueAt!) - Date.parse(awareAt)).toBeLessThan(HOUR_S * 1000);

  // Paused: the count stands still, and there is no real instant it falls due.
  expect((await w.animate('/pause')).status).toBe(200);
  const paused = await overview();
  const pausedAgain = await overview();
  expect(paused.exercise!.clock.status).toBe('paused');
  expect(pausedAgain.exercise!.exerciseSeconds).toBe(paused.exercise!.exerciseSeconds);
  expect(paused.clocks.find((c) => c.id === 'cnil-72h')!.exercise!.dueAt).toBeNull();

  // The CNIL draft states its deadline in exercise time too, never as a day and hour of the real calendar.
  const draft = await api<{ draft: { id: string } }>(server.url, `/api/incidents/${w.id}/regulatory`, { token: w.admin, body: { kind: 'cnil_initial' } });
  expect(draft.status).toBe(201);
  const md = await (await fetch(`${server.url}/api/incidents/${w.id}/regulatory/${draft.body.draft.id}?format=md&lang=fr`, { headers: { authorization: `Bearer ${w.admin}` } })).text();
  const dueLine = md.split('\n').find((l) => l.includes('Notification CNIL (72 h)'))!;
  expect(dueLine).toContain(`${exerciseTimeText(dueSeconds * 1000)} (horloge d’exercice)`);
});

test('a real incident’s overview counts on real time, as before', async () => {
  const w = await exerciseWorld(server.url);
  const real = await api<{ id: string }>(server.url, '/api/incidents', { token: w.admin, body: { title: 'Incident réel' } });
  const awareAt = new Date().toISOString();
  expect((await api(server.url, `/api/incidents/${real.body.id}/regulatory/clocks`, { token: w.admin, method: 'PUT', body: { breachAwareAt: awareAt } })).status).toBe(200);
  const body = (await api<RegulatoryOverview>(server.url, `/api/incidents/${real.body.id}/regulatory`, { token: w.admin })).body;
  expect([body.time, body.timeLabel, body.exercise]).toEqual(['real', null, null]);
  const cnil = body.clocks.find((c) => c.id === 'cnil-72h')!;
  expect([cnil.time, cnil.exercise, cnil.label]).toEqual(['real', null, 'Notification CNIL (72 h)']);
  expect(cnil.due).toBe(new Date(Date.parse(awareAt) + 72 * HOUR_S * 1000).toISOString());
});
