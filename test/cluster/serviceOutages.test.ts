import { connectClient, createIncident, waitFor } from '../helpers/testServer';
import { collectRejections, getIncidentState, logIds, sessionChanges } from '../helpers/sessions';
import { describeWithDisposable } from '../helpers/disposableServices';
import { docName } from '../../shared/model/parts';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, lastRedisLink, oneTo, readLogJournal, scrapeMetrics, startNodes, untilOutput, type ClusterNode, type ClusterScope } from './helpers/cluster';
import { WriterStream } from './helpers/writers';
import { accepts, outageServices, type OutageServices } from './helpers/outages';

/**
 * Redis and PostgreSQL going away under a running cluster. The nodes run on a disposable
 * PostgreSQL and Redis of this file's own (test/helpers/disposableServices.ts), which the tests
 * stop and start; the machine's services are never touched.
 */
const WRITERS = 6;
const NODES = 3;

async function cluster(services: OutageServices, label: string): Promise<{ scope: ClusterScope; nodes: ClusterNode[]; id: string; stream: WriterStream; sessions: IncidentSession[]; rejections: unknown[] }> {
  const scope = clusterScope(label, services.postgres.url);
  const nodes = await startNodes(scope, NODES, { redisUrls: Array.from({ length: NODES }, () => services.redis.url) });
  const id = await createIncident(nodes[0]!.url);
  const members = [];
  for (let i = 0; i < WRITERS; i++) {
    const node = nodes[i % nodes.length]!;
    const name = `${node.name}-writer-${i}`;
    const client = connectClient(node.url, name);
    const session = await client.openIncident(id);
    await session.whenSynced();
    members.push({ name, client, session });
  }
  const sessions = members.map((m) => m.session);
  const rejections = collectRejections(...sessions);
  const stream = new WriterStream(members);
  await waitFor(() => stream.writers.every((w) => w.acked.length >= 10), stream.onProgress, 'every writer under way');
  return { scope, nodes, id, stream, sessions, rejections };
}

/** Every client, every node and the journal hold exactly `expected` entries, in one order. */
async function expectConverged(scope: ClusterScope, nodes: ClusterNode[], id: string, sessions: IncidentSession[], expected: string[]): Promise<void> {
  expect(new Set(expected).size).toBe(expected.length);
  await waitFor(
    () => sessions.every((s) => s.pendingCount === 0 && s.log.entries().length === expected.length),
    sessionChanges(...sessions),
    'every client has every entry, acknowledged',
    30_000,
  );
  const reference = logIds(sessions[0]!);
  expect([...reference].sort()).toEqual([...expected].sort());
  for (const s of sessions) expect(logIds(s)).toEqual(reference);
  for (const node of nodes) {
    const state = await getIncidentState(node.url, id);
    expect(state.log.map((e) => e.id)).toEqual(reference);
  }
  const journal = await readLogJournal(scope, docName(id, 'log'));
  expect(journal.seqs).toEqual(oneTo(journal.seqs.length));
  expect(journal.logIds).toEqual(reference);
}

describeWithDisposable(['PostgreSQL', 'Redis'], 'cluster (disposable PostgreSQL and Redis)', () => {
  describe('Redis and PostgreSQL outages under three nodes', () => {
    // The schemas die with the disposable PostgreSQL: nothing to drop.
    exclusiveCluster();
    const services = outageServices();

    it('a Redis restart mid-stream ends with every node and client converged', async () => {
      const { scope, nodes, id, stream, sessions, rejections } = await cluster(services, 'redis_outage');
      try {
        await services.redis.stop();
        // Acknowledgement does not depend on Redis: the journal is the truth.
        const ackedAtStop = stream.writers.map((w) => w.acked.length);
        await waitFor(() => stream.writers.every((w, i) => w.acked.length >= ackedAtStop[i]! + 6), stream.onProgress, 'writers acknowledged while Redis is down', 30_000);
        expect(await accepts(services.redis.port)).toBe(false);
      } finally {
        await services.redis.start();
      }
      // Every node finds Redis again (its subscriber resubscribes and resyncs from the journal).
      for (const node of nodes) {
        await untilOutput(node, (out) => out.includes('Redis link down') && lastRedisLink(out, 'subscriber') === 'up' && lastRedisLink(out, 'publisher') === 'up', `${node.name} back on Redis`);
      }
      const ackedAtRestart = stream.writers.map((w) => w.acked.length);
      await waitFor(() => stream.writers.every((w, i) => w.acked.length >= ackedAtRestart[i]! + 6), stream.onProgress, 'writers continue after the restart', 30_000);
      await stream.stop();

      await expectConverged(scope, nodes, id, sessions, stream.allAppended());
      expect(rejections).toEqual([]);
      // Each node missed the others' messages during the outage and caught up from the journal.
      for (const node of nodes) expect((await scrapeMetrics(node.url)).get('crisis_catchups_total')).toBeGreaterThanOrEqual(1);
    }, 90_000);

    it('PostgreSQL stopped for a few seconds: edits wait unacknowledged, nothing is lost, all converges when it returns', async () => {
      const { scope, nodes, id, stream, sessions, rejections } = await cluster(services, 'pg_outage');
      const duringOutage: string[] = [];
      let decisionId = '';
      try {
        await services.postgres.stop();
        const appendedAtStop = stream.writers.map((w) => w.appended.length);
        // Each writer adds one more entry while the journal is unreachable.
        for (const w of stream.writers) duringOutage.push(w.session.appendLog({ text: `${w.name} pendant la panne PostgreSQL` }).id);
        // A decision too: its part is admitted under a lock in PostgreSQL, which cannot be taken now;
        // the edit must wait like the others, not be refused.
        decisionId = stream.writers[0]!.session.recordDecision({ title: 'Basculer en procédures papier', rationale: 'Journal injoignable' }).id;
        // The outage lasts until every node has failed to commit for a while (retries back off 50 ms → 1.6 s).
        for (const node of nodes) await untilOutput(node, (out) => out.includes('journal commit failed') && out.includes('"retryMs":1600'), `${node.name} retrying commits`);

        // Still down: every writer shows edits as waiting, none of them was acknowledged, and no
        // client anywhere has seen an entry that is not durable.
        for (const [i, w] of stream.writers.entries()) {
          // Its outage entry and whatever its stream appended since the stop: none can be durable.
          expect(w.session.pendingCount).toBeGreaterThanOrEqual(1 + w.appended.length - appendedAtStop[i]!);
          expect(w.acked.filter((a) => w.appended.indexOf(a) >= appendedAtStop[i]!)).toEqual([]);
        }
        const unacknowledged = new Set([...duringOutage, ...stream.writers.flatMap((w, i) => w.appended.slice(appendedAtStop[i]!))]);
        for (const [i, s] of sessions.entries()) {
          const own = new Set([...stream.writers[i]!.appended, duringOutage[i]!]);
          expect(logIds(s).filter((e) => unacknowledged.has(e) && !own.has(e))).toEqual([]);
        }
      } finally {
        await services.postgres.start();
      }

      await stream.stop();
      await expectConverged(scope, nodes, id, sessions, [...stream.allAppended(), ...duringOutage]);
      for (const s of sessions) await waitFor(() => s.decisions.get(decisionId)?.title === 'Basculer en procédures papier', sessionChanges(s), 'the outage decision reaches every client');
      expect(rejections).toEqual([]);
    }, 90_000);
  });
});
