import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { getIncidentState } from '../helpers/sessions';

test('two clients see each other\'s log entry, task and decision', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const a = await connectClient(server.url, 'Alice').openIncident(id);
  const b = await connectClient(server.url, 'Bob').openIncident(id);
  await Promise.all([a.whenSynced(), b.whenSynced()]);
  expect(a.meta.get()?.title).toBe('Cyberattaque CHU');

  const entry = a.appendLog({ text: 'Messagerie coupée', category: 'alert', severity: 'high' });
  const task = a.createTask({ title: 'Isoler le réseau' });
  const decision = a.recordDecision({ title: 'Couper internet', statement: 'On coupe', rationale: 'Exfiltration' });
  await a.whenAcknowledged();
  await waitFor(() => b.log.length === 1 && b.tasks.get(task.id) !== null && b.decisions.get(decision.id) !== null, (n) => b.log.onChange(n) && b.tasks.onChange(n) && b.decisions.onChange(n), 'b sees all');
  expect(b.log.entries()[0]).toEqual(entry);
  b.moveTask(task.id, 'in_progress');
  await waitFor(() => a.tasks.get(task.id)?.status === 'in_progress', (n) => a.tasks.onChange(n), 'a sees the move');

  const state = await getIncidentState(server.url, id);
  expect(state.log).toHaveLength(1);
  expect(state.tasks[0]?.status).toBe('in_progress');
  expect(state.decisions).toHaveLength(1);
});
