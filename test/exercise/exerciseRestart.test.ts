import { CrisisClient } from '../../client/sdk/crisisClient';
import { startTestServer, tempDir, onTeardown } from '../helpers/testServer';
import { api } from '../helpers/accounts';
import { exerciseWorld, injectEntries, playerSession, waitForInject, type ExerciseView } from './exerciseWorld';

jest.setTimeout(120_000);

test('the exercise clock and chronogram survive a restart: scheduling resumes from the stored state, each inject once', async () => {
  const dataDir = tempDir('crisis-exercise-restart-');
  const first = await startTestServer({ dataDir });
  const w = await exerciseWorld(first.url);
  expect((await api(first.url, `/api/incidents/${w.id}/exercise/injects/journalist-call/skip`, { token: w.animator.token, body: {} })).status).toBe(200);
  expect((await w.animate('/speed', { factor: 60 }, 'PUT')).status).toBe(200);
  expect((await w.animate('/start')).status).toBe(200);
  const before = await playerSession(first.url, w.id);
  await waitForInject(before, 'network-cut');
  await first.close();

  // Same database, new process state: nothing of the exercise is in memory any more.
  const second = await startTestServer({ dataDir });
  const client = new CrisisClient({ url: second.url, name: 'Joueuse', token: async () => w.player.token, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
  onTeardown(() => client.close());
  const player = await client.openIncident(w.id);
  await player.whenSynced();
  const view = await api<ExerciseView>(second.url, `/api/incidents/${w.id}/exercise`, { token: w.animator.token });
  expect([view.body.clock.status, view.body.clock.factor]).toEqual(['running', 60]);
  expect(view.body.injects.find((i) => i.id === 'network-cut')!.status).toBe('fired');
  // Faster, to finish: the restarted scheduler fires the rest.
  expect((await api(second.url, `/api/incidents/${w.id}/exercise/speed`, { token: w.animator.token, method: 'PUT', body: { factor: 1200 } })).status).toBe(200);
  await waitForInject(player, 'situation-report');
  const ids = injectEntries(player).map((e) => e.inject!.id);
  expect(ids).toEqual(['network-cut', 'email-down', 'ransom-note', 'ars-call', 'cert-sante', 'exfiltration-claim', 'cnil-72h', 'paper-copies', 'situation-report']);
});
