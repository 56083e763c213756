import { IncidentStateSchema } from '../../shared/model/incident';
import { suiteServer } from './helpers/suiteServer';
import { type ScriptedIncident, playScriptedIncident } from './helpers/scriptedIncident';
import { cli } from './helpers/cli';

const suite = suiteServer();
let incident: ScriptedIncident;

beforeAll(async () => {
  incident = await playScriptedIncident(suite());
});

async function stateAt(at: string) {
  return suite().fetch(`/api/incidents/${incident.id}?at=${encodeURIComponent(at)}`);
}

test('the state at a past time is what the clients saw then: log, board, decisions and the incident itself', async () => {
  expect(incident.moments).toHaveLength(5);
  for (const moment of incident.moments) {
    const res = await stateAt(moment.at.toISOString());
    expect(res.status).toBe(200);
    const state = IncidentStateSchema.parse(await res.json());
    expect(state).toEqual(moment.state);
  }
  // The moments differ from each other, so the comparison above could fail.
  const [start, afterLog, midTask, , end] = incident.moments;
  expect(start!.state.log).toHaveLength(0);
  expect(afterLog!.state.log).toHaveLength(3);
  expect(midTask!.state.tasks[0]).toMatchObject({ status: 'in_progress', assignee: 'Bob Œuvray' });
  expect(end!.state.meta.status).toBe('closed');
  expect(end!.state.decisions.map((d) => d.status)).toEqual(['superseded', 'revoked']);
});

test('now, the state equals the live one; the CLI gives the same answer', async () => {
  const live = await (await suite().fetch(`/api/incidents/${incident.id}`)).json();
  const now = await (await stateAt(new Date().toISOString())).json();
  expect(now).toEqual(live);
  const at = incident.moments[2]!.at.toISOString();
  const viaCli = await cli(['state', incident.id, '--at', at], { DATA_DIR: suite().dataDir });
  expect(viaCli.code).toBe(0);
  expect(JSON.parse(viaCli.stdout)).toEqual(JSON.parse(JSON.stringify(incident.moments[2]!.state)));
});

test('before the incident existed, and with a bad time, clear errors', async () => {
  const before = await stateAt(new Date(Date.parse(incident.moments[0]!.at.toISOString()) - 3_600_000).toISOString());
  expect(before.status).toBe(404);
  expect(((await before.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/did not exist yet/) });
  const bad = await stateAt('hier');
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  const extra = await suite().fetch(`/api/incidents/${incident.id}?when=now`);
  expect(extra.status).toBe(400);
});
