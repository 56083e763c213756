import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { ROOTS, DOC_PARTS, docName } from '../../shared/model/parts';
import type { ScenarioList } from '../../shared/exercise/scenario';
import type { IncidentMeta } from '../../shared/model/incident';
import { api, setRole, testUser } from '../helpers/accounts';
import { connectClient, startTestServer, tempDir, waitFor } from '../helpers/testServer';
import { collectRejections, getIncidentState, sessionChanges } from '../helpers/sessions';
import { connectRaw, emitAck, joinRaw } from '../helpers/rawSocket';
import { EVENTS } from '../../shared/protocol/messages';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { exerciseWorld, playerSession, waitForInject } from './exerciseWorld';

const SHIPPED = JSON.parse(fs.readFileSync(path.join(__dirname, '../../scenarios/hospital-ransomware.json'), 'utf8')) as { injects: Array<{ id: string; expected: { fr: string } }> };

function organisationScenarios(): string {
  const dir = tempDir('crisis-scenarios-');
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ "id": ');
  fs.writeFileSync(path.join(dir, 'bad-role.json'), JSON.stringify({ id: 'bad-role', name: 'X', durationMinutes: 10, template: { id: 't', name: 'T', tasks: [{ title: 'x' }] }, injects: [{ id: 'a', offset: '00:05', channel: 'phone', from: 'Quelqu’un', to: 'nobody', text: 'Allô' }] }));
  fs.writeFileSync(path.join(dir, 'short.json'), JSON.stringify({ id: 'short', name: 'Court', durationMinutes: 10, template: { id: 't', name: 'T', roles: [{ id: 'dir', label: 'Directeur' }], tasks: [{ title: 'Ouvrir', role: 'dir' }] }, injects: [{ id: 'call', offset: 30, channel: 'phone', from: 'Préfecture', to: 'dir', text: 'Appel de la préfecture', expected: 'SECRET-ATTENDU' }] }));
  return dir;
}

test('GET /api/scenarios lists the shipped and the organisation scenarios, reports each bad file, and never shows the chronogram', async () => {
  const server = await startTestServer({ databaseUrl: 'memory:', scenariosDir: organisationScenarios() });
  const player = await testUser(server.url, 'Joueuse');
  const list = await api<ScenarioList>(server.url, '/api/scenarios', { token: player.token });
  expect(list.status).toBe(200);
  expect(list.body.scenarios.map((s) => s.id).sort()).toEqual(['hospital-ransomware', 'short']);
  expect(list.body.problems.map((p) => [p.code, path.basename(p.file)]).sort()).toEqual([
    ['SCENARIO_INVALID', 'bad-role.json'],
    ['SCENARIO_INVALID', 'broken.json'],
  ]);
  const shipped = list.body.scenarios.find((s) => s.id === 'hospital-ransomware')!;
  expect(shipped.durationMinutes).toBe(120);
  expect(shipped.name.en).toMatch(/ransomware/);
  const text = JSON.stringify(list.body);
  expect(text).not.toContain('SECRET-ATTENDU');
  expect(text).not.toContain(SHIPPED.injects[0]!.expected.fr);
});

test('a player reads neither the chronogram, the expected reactions nor the observations, over REST or the socket', async () => {
  const server = await startTestServer({ databaseUrl: 'memory:' });
  const w = await exerciseWorld(server.url);
  const observation = await api(server.url, `/api/incidents/${w.id}/exercise/observations`, { token: w.evaluator.token, body: { text: 'OBSERVATION-PRIVEE', injectId: 'ransom-note' } });
  expect(observation.status).toBe(201);
  const session = await playerSession(server.url, w.id);
  expect((await w.animate('/injects/ransom-note/fire')).status).toBe(200);
  await waitForInject(session, 'ransom-note');

  // REST: every exercise read and act is refused to the player, before anything is read.
  const asPlayer = (p: string, method = 'GET', body?: unknown) => api<{ error: { code: string } }>(server.url, `/api/incidents/${w.id}/exercise${p}`, { token: w.player.token, method, body });
  for (const [p, method, body] of [['', 'GET'], ['/observations', 'GET'], ['/observations', 'POST', { text: 'x' }], ['/start', 'POST', {}], ['/speed', 'PUT', { factor: 2 }], ['/injects/email-down/fire', 'POST', {}], ['/injects', 'POST', { channel: 'phone', from: 'x', text: 'y' }]] as const) {
    const reply = await asPlayer(p, method, body);
    expect([p, reply.status, reply.body.error?.code]).toEqual([p, 403, 'FORBIDDEN']);
  }
  // The evaluator reads, but does not run the clock.
  expect((await api(server.url, `/api/incidents/${w.id}/exercise`, { token: w.evaluator.token })).status).toBe(200);
  expect((await api(server.url, `/api/incidents/${w.id}/exercise/start`, { token: w.evaluator.token, body: {} })).status).toBe(403);
  const rest = JSON.stringify(await getIncidentState(server.url, w.id));
  // Socket: every part the player joins, raw, holds the inject but no expectation nor observation.
  const raw = await connectRaw(server.url, 'Joueuse');
  let seen = rest;
  for (const part of DOC_PARTS) seen += JSON.stringify((await joinRaw(raw, docName(w.id, part))).doc.toJSON());
  expect(seen).toContain('Vos fichiers sont chiffrés');
  for (const inject of SHIPPED.injects) expect(seen).not.toContain(inject.expected.fr);
  expect(seen).not.toContain('OBSERVATION-PRIVEE');
  expect(seen).not.toContain('hospital-ransomware');
  // No document beyond the parts: an exercise has no joinable chronogram.
  const refused = await emitAck(raw, EVENTS.join, { doc: `${w.id}:exercise`, stateVector: Y.encodeStateVector(new Y.Doc()) });
  expect(refused.ok).toBe(false);
});

test('a real incident is never turned into an exercise, nor an exercise into a real incident', async () => {
  const server = await startTestServer({ databaseUrl: 'memory:' });
  const w = await exerciseWorld(server.url);
  const real = await api<IncidentMeta>(server.url, '/api/incidents', { token: w.admin, body: { title: 'Vraie crise' } });
  expect(real.status).toBe(201);
  expect(real.body.exercise).toBeUndefined();
  // Exercise roles exist in exercises only.
  for (const role of ['animator', 'evaluator'] as const) {
    const reply = await setRole(server.url, real.body.id, w.player.id, role);
    expect([reply.status, (reply.body as { error: { code: string } }).error.code]).toEqual([409, 'NOT_AN_EXERCISE']);
  }
  // The director of each writes the mark in the metadata document: refused both ways.
  const director = connectClient(server.url, 'Directrice');
  const directorUser = await testUser(server.url, 'Directrice');
  for (const id of [real.body.id, w.id]) expect((await setRole(server.url, id, directorUser.id, 'director')).status).toBe(200);
  for (const [id, value] of [[real.body.id, true], [w.id, false]] as const) {
    const session = await director.openIncident(id);
    await session.whenSynced();
    const rejections = collectRejections(session);
    session.syncs.meta.doc.getMap(ROOTS.meta).set('exercise', value);
    await waitFor(() => session.pendingCount === 0, sessionChanges(session), 'answer to the mark');
    expect(rejections.map((r) => r.code)).toEqual(['EXERCISE_MARK_FIXED']);
  }
  expect((await getIncidentState(server.url, real.body.id)).meta.exercise).toBeUndefined();
  expect((await getIncidentState(server.url, w.id)).meta.exercise).toBe(true);
  // A log entry claiming to be an inject is the server's alone.
  const player = await playerSession(server.url, w.id);
  const refusals = collectRejections(player);
  const forged = { ...buildLogEntry({ text: 'Faux inject' }, 'Joueuse', player.now()), inject: { id: 'fake', channel: 'phone', from: 'ARS', to: null, exerciseSeconds: 0 } };
  player.syncs.log.doc.getArray(ROOTS.log).push([JSON.stringify(forged)]);
  await waitFor(() => player.pendingCount === 0, sessionChanges(player), 'answer to the forged inject');
  expect(refusals.map((r) => r.code)).toEqual(['UPDATE_FORBIDDEN_AUTHOR']);
  expect((await getIncidentState(server.url, w.id)).log.some((e) => e.text === 'Faux inject')).toBe(false);
});

test('exercises and real incidents never share a list, nor a metric', async () => {
  const server = await startTestServer({ databaseUrl: 'memory:' });
  const w = await exerciseWorld(server.url);
  const real = (await api<IncidentMeta>(server.url, '/api/incidents', { token: w.admin, body: { title: 'Vraie crise' } })).body;
  type List = { incidents: Array<IncidentMeta & { exercise: boolean }>; exercises?: Array<IncidentMeta & { exercise: boolean }> };
  const list = async (q = '') => (await api<List>(server.url, `/api/incidents${q}`, { token: w.admin })).body;
  const all = await list();
  expect(all.incidents.map((m) => [m.id, m.exercise])).toEqual([[real.id, false]]);
  expect(all.exercises!.map((m) => [m.id, m.exercise])).toEqual([[w.id, true]]);
  expect((await list('?exercise=true')).incidents.map((m) => m.id)).toEqual([w.id]);
  expect((await list('?exercise=false')).incidents.map((m) => m.id)).toEqual([real.id]);
  expect((await api(server.url, '/api/incidents?exercise=maybe', { token: w.admin })).status).toBe(400);
  // A member of the exercise only sees it among the exercises.
  expect((await api<List>(server.url, '/api/incidents', { token: w.player.token })).body).toEqual({ incidents: [], exercises: [expect.objectContaining({ id: w.id, exercise: true })] });
  const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${w.admin}` } })).text();
  expect(metrics).toMatch(/crisis_incidents\{kind="real"\} 1\b/);
  expect(metrics).toMatch(/crisis_incidents\{kind="exercise"\} 1\b/);
});
