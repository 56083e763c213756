import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { collectRejections, getIncidentState, sessionChanges } from '../helpers/sessions';

test('edits answered RATE_LIMITED stay pending and all land once the client has paused; nothing is reported refused', async () => {
  // A budget of 5 messages a second (10 at once): opening the incident fits, a burst of 40 entries does not.
  const server = await startTestServer({ socketRatePerSecond: 5, socketRateBurst: 10 });
  const id = await createIncident(server.url);
  const alice = await connectClient(server.url, 'Alice').openIncident(id);
  await alice.whenSynced();
  const rejections = collectRejections(alice);
  const ids = Array.from({ length: 40 }, (_, i) => alice.appendLog({ text: `Rafale ${i + 1}` }).id);
  expect(alice.pendingCount).toBeGreaterThan(0);
  await waitFor(() => alice.pendingCount === 0, sessionChanges(alice), 'every edit acknowledged', 30_000);
  expect(rejections).toEqual([]);
  const state = await getIncidentState(server.url, id);
  expect(state.log.map((e) => e.id)).toEqual(ids);
}, 40_000);
