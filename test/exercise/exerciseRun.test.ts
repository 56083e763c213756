import fs from 'node:fs';
import path from 'node:path';
import { type InjectOffset, injectOffsetSeconds } from '../../shared/exercise/scenario';
import type { ExerciseInject } from '../../shared/exercise/exerciseState';
import { startTestServer } from '../helpers/testServer';
import { exerciseWorld, injectEntries, playerSession, waitForInject } from './exerciseWorld';

const SHIPPED = JSON.parse(fs.readFileSync(path.join(__dirname, '../../scenarios/hospital-ransomware.json'), 'utf8')) as { injects: Array<{ id: string; offset: InjectOffset; text: { fr: string } }> };
const OFFSET = new Map(SHIPPED.injects.map((i) => [i.id, injectOffsetSeconds(i.offset)]));
/** Exercise seconds an inject may land off its offset. */
const TOLERANCE_S = 1;

// The shipped two-hour scenario through the real server at 60× (about two minutes of real time).
jest.setTimeout(300_000);

test('the two-hour scenario at 60×: each inject reaches the player at its exercise time; pause and resume shift the rest; a skipped one never comes; an improvised one comes at once', async () => {
  const server = await startTestServer({ databaseUrl: 'memory:' });
  const w = await exerciseWorld(server.url);
  const player = await playerSession(server.url, w.id);
  expect((await w.animate('/speed', { factor: 60 }, 'PUT')).status).toBe(200);
  const started = await w.animate('/start');
  expect([started.status, started.body.clock.status, started.body.clock.factor]).toEqual([200, 'running', 60]);
  expect((await w.animate('/start')).body).toEqual({ error: expect.objectContaining({ code: 'EXERCISE_STATE' }) });

  // Until the ransom note (T+00:20), then a pause.
  await waitForInject(player, 'ransom-note');
  const paused = await w.animate('/pause');
  expect(paused.body.clock.status).toBe('paused');
  const frozen = paused.body.clock.exerciseMsAtAnchor;
  expect(frozen).toBeLessThan(OFFSET.get('ars-call')! * 1000);
  // While paused the clock stands still; an inject is skipped and another improvised.
  expect((await w.animate('/injects/cert-sante/skip')).body).toEqual(expect.objectContaining({ id: 'cert-sante', status: 'skipped' }));
  expect((await w.animate('/injects/cert-sante/fire')).body).toEqual({ error: expect.objectContaining({ code: 'EXERCISE_STATE' }) });
  const improvised = await w.animate<ExerciseInject>('/injects', { channel: 'phone', from: 'Préfecture', to: 'director', text: 'La préfecture demande un point téléphonique', expected: 'Un interlocuteur désigné rappelle' });
  expect(improvised.status).toBe(201);
  const improvisedEntry = await waitForInject(player, improvised.body.id);
  expect(improvisedEntry.inject).toEqual({ id: improvised.body.id, channel: 'phone', from: 'Préfecture', to: 'director', exerciseSeconds: frozen / 1000 });
  expect(improvisedEntry.source).toBe('Préfecture');
  const stillPaused = await w.view();
  expect(stillPaused.exerciseSeconds).toBe(frozen / 1000);
  expect(injectEntries(player).map((e) => e.inject!.id)).toEqual(['network-cut', 'email-down', 'ransom-note', improvised.body.id]);
  const resumedAt = new Date();
  expect((await w.animate('/resume')).body.clock.status).toBe('running');

  // The rest, to the last (T+01:55).
  await waitForInject(player, 'situation-report', 200_000);
  const entries = injectEntries(player);
  const scheduled = entries.filter((e) => e.inject!.id !== improvised.body.id);
  expect(scheduled.map((e) => e.inject!.id)).toEqual(SHIPPED.injects.map((i) => i.id).filter((id) => id !== 'cert-sante'));
  // How far each landed from its offset, in exercise seconds (shown when one is off).
  const deviations = scheduled.map((e) => [e.inject!.id, Math.round((e.inject!.exerciseSeconds - OFFSET.get(e.inject!.id)!) * 1000) / 1000]);
  process.stdout.write(`inject deviations (exercise s): ${JSON.stringify(deviations)}\n`);
  for (const entry of scheduled) {
    const offset = OFFSET.get(entry.inject!.id)!;
    expect([entry.inject!.id, Math.abs(entry.inject!.exerciseSeconds - offset) <= TOLERANCE_S]).toEqual([entry.inject!.id, true]);
    // The journal keeps real time; the text is the scenario's, in French.
    expect(entry.text).toBe(SHIPPED.injects.find((i) => i.id === entry.inject!.id)!.text.fr);
    expect(entry.author).toBe('Exercice — animation');
  }
  // Those after the pause reached the player after the resume: the pause shifted them.
  for (const entry of scheduled.slice(3)) expect(Date.parse(entry.recordedAt)).toBeGreaterThanOrEqual(resumedAt.getTime() - 1);
  // What the animator sees matches.
  const final = await w.view();
  const status = Object.fromEntries(final.injects.map((i) => [i.id, i.status]));
  expect(status['cert-sante']).toBe('skipped');
  expect(final.injects.filter((i) => i.status === 'fired')).toHaveLength(SHIPPED.injects.length);
  expect(final.exerciseSeconds).toBeGreaterThanOrEqual(OFFSET.get('situation-report')!);
});
