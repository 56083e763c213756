import type { ExercisePublic } from '../../shared/exercise/exerciseState';
import { api, testUser } from '../helpers/accounts';
import { startTestServer } from '../helpers/testServer';
import { exerciseWorld } from './exerciseWorld';

// One server per test (closed by the helpers' teardown): the exercise world signs in the same people each time.
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeEach(async () => {
  server = await startTestServer({ databaseUrl: 'memory:' });
});

type Reply = ExercisePublic & { error?: { code: string } };

test('every member reads the exercise clock and who holds which role, and never an inject', async () => {
  const w = await exerciseWorld(server.url);
  const view = await api<Reply>(server.url, `/api/incidents/${w.id}/exercise/public`, { token: w.player.token });
  expect(view.status).toBe(200);
  expect(view.body.clock.status).toBe('ready');
  expect(view.body.exerciseSeconds).toBe(0);
  expect(view.body.roles.map((r) => r.id)).toContain('it-security');
  expect(view.body.roles.every((r) => r.holders.length === 0)).toBe(true);
  const text = JSON.stringify(view.body);
  const chronogram = (await w.view()).injects;
  for (const inject of chronogram) expect(text).not.toContain(inject.text.slice(0, 40));

  const stranger = await testUser(server.url, 'Inconnu');
  const refused = await api<Reply>(server.url, `/api/incidents/${w.id}/exercise/public`, { token: stranger.token });
  expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
});

test('an animator names the holders of a functional role; players may not, and only members can hold one', async () => {
  const w = await exerciseWorld(server.url);
  const named = await w.animate<Reply>('/roles/it-security', { userIds: [w.player.id] }, 'PUT');
  expect(named.status).toBe(200);
  expect(named.body.roles.find((r) => r.id === 'it-security')!.holders).toEqual([w.player.id]);
  const seen = await api<Reply>(server.url, `/api/incidents/${w.id}/exercise/public`, { token: w.player.token });
  expect(seen.body.roles.find((r) => r.id === 'it-security')!.holders).toEqual([w.player.id]);

  const byPlayer = await api<Reply>(server.url, `/api/incidents/${w.id}/exercise/roles/it-security`, { token: w.player.token, method: 'PUT', body: { userIds: [] } });
  expect([byPlayer.status, byPlayer.body.error?.code]).toEqual([403, 'FORBIDDEN']);
  const stranger = await testUser(server.url, 'Extérieur');
  const notMember = await w.animate<Reply>('/roles/it-security', { userIds: [stranger.id] }, 'PUT');
  expect([notMember.status, notMember.body.error?.code]).toEqual([404, 'NOT_FOUND']);
  const noRole = await w.animate<Reply>('/roles/nobody', { userIds: [] }, 'PUT');
  expect([noRole.status, noRole.body.error?.code]).toEqual([404, 'NOT_FOUND']);
  const bad = await w.animate<Reply>('/roles/it-security', { userIds: 'x' }, 'PUT');
  expect([bad.status, bad.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  // Nothing changed by the refusals.
  const after = await api<Reply>(server.url, `/api/incidents/${w.id}/exercise/public`, { token: w.player.token });
  expect(after.body.roles.find((r) => r.id === 'it-security')!.holders).toEqual([w.player.id]);
});

test('a real incident has no exercise view', async () => {
  const w = await exerciseWorld(server.url);
  const real = await api<{ id: string }>(server.url, '/api/incidents', { token: w.admin, body: { title: 'Incident réel' } });
  const reply = await api<Reply>(server.url, `/api/incidents/${real.body.id}/exercise/public`, { token: w.admin });
  expect(reply.body.error?.code).toBe('NOT_AN_EXERCISE');
});
