import { connectClient, waitFor } from '../helpers/testServer';
import { createIncidentAsAdmin } from '../helpers/accounts';
import { collectRejections, getIncidentState, logIds, sessionChanges } from '../helpers/sessions';
import { describeWithService } from '../helpers/services';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, oneTo, readLogJournal, scrapeMetrics, startNodes, untilMetrics } from './helpers/cluster';

const CLIENTS_PER_NODE = 3;
const ENTRIES_EACH = 20;
const TASKS_EACH = 2;

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'three nodes over Redis and PostgreSQL', () => {
    const scope = clusterScope('converge');
    exclusiveCluster(() => scope.drop());

    it('clients spread over 3 node processes editing one incident converge, and each node counts its share in /metrics', async () => {
      const nodes = await startNodes(scope, 3);
      // No decision-authority setting: it is an update of its own, and this test counts every update.
      const id = await createIncidentAsAdmin(nodes[0]!.url, 'Cyberattaque CHU', { membersMayApprove: false });
      // Websocket only: a long-polling session (several requests, which a load balancer without
      // sticky sessions would spread over nodes) is refused outright.
      const polling = await fetch(`${nodes[0]!.url}/socket.io/?EIO=4&transport=polling`);
      expect(polling.status).toBe(400);
      expect(await polling.json()).toEqual({ code: 0, message: 'Transport unknown' });

      const members = nodes.flatMap((node) =>
        Array.from({ length: CLIENTS_PER_NODE }, (_, k) => ({ node, name: `${node.name}-client-${k}`, client: connectClient(node.url, `${node.name}-client-${k}`) })),
      );
      const sessions = await Promise.all(members.map((m) => m.client.openIncident(id)));
      await Promise.all(sessions.map((s) => s.whenSynced()));
      const rejections = collectRejections(...sessions);

      // Every node has its clients' sockets and the incident's documents (one per part) in memory.
      for (const node of nodes) {
        const m = await scrapeMetrics(node.url);
        expect(m.get('crisis_connections')).toBe(CLIENTS_PER_NODE);
        expect(m.get('crisis_documents_loaded')).toBe(DOC_PARTS.length);
        expect(m.get('crisis_updates_total')).toBe(0);
      }

      // Everyone writes at once, interleaving with the others (one update per append).
      await Promise.all(
        sessions.map(async (s, i) => {
          for (let k = 0; k < ENTRIES_EACH; k++) {
            s.appendLog({ text: `${members[i]!.name} entrée ${k}` });
            if (k < TASKS_EACH) s.createTask({ title: `${members[i]!.name} tâche ${k}` });
            await new Promise((r) => setImmediate(r));
          }
        }),
      );
      const entries = members.length * ENTRIES_EACH;
      const tasks = members.length * TASKS_EACH;
      await waitFor(
        () => sessions.every((s) => s.pendingCount === 0 && s.log.entries().length === entries && s.tasks.list().length === tasks),
        sessionChanges(...sessions),
        'every client has every entry and task, acknowledged',
        30_000,
      );
      expect(rejections).toEqual([]);

      // Identical everywhere, in the same order; each node's own view (REST) agrees.
      const reference = logIds(sessions[0]!);
      expect(new Set(reference).size).toBe(entries);
      for (const s of sessions) {
        expect(logIds(s)).toEqual(reference);
        expect(s.tasks.list().map((t) => t.id).sort()).toEqual(sessions[0]!.tasks.list().map((t) => t.id).sort());
      }
      for (const node of nodes) {
        const state = await getIncidentState(node.url, id);
        expect(state.log.map((e) => e.id)).toEqual(reference);
        expect(state.tasks).toHaveLength(tasks);
      }

      // The shared journal: one record per append, seqs 1..n with no gap, replaying to the same log.
      const journal = await readLogJournal(scope, docName(id, 'log'));
      expect(journal.seqs).toEqual(oneTo(entries));
      expect(journal.logIds).toEqual(reference);

      // Per node: its clients' updates committed, each one timed and published once; nothing to catch up on.
      const perNode = CLIENTS_PER_NODE * (ENTRIES_EACH + TASKS_EACH);
      for (const node of nodes) {
        const m = await untilMetrics(node.url, (x) => x.get('crisis_fanout_publish_seconds_count') === perNode, `${perNode} publishes timed`);
        expect(m.get('crisis_updates_total')).toBe(perNode);
        const commits = m.get('crisis_journal_commit_seconds_count')!;
        // Group commit: at least one transaction, at most one per update.
        expect(commits).toBeGreaterThanOrEqual(1);
        expect(commits).toBeLessThanOrEqual(perNode);
        expect(m.get('crisis_journal_commit_seconds_bucket{le="+Inf"}')).toBe(commits);
        expect(m.get('crisis_journal_commit_seconds_sum')).toBeGreaterThan(0);
        expect(m.get('crisis_fanout_publish_seconds_sum')).toBeGreaterThan(0);
        expect(m.get('crisis_connections')).toBe(CLIENTS_PER_NODE);
        expect(m.get('crisis_documents_loaded')).toBe(DOC_PARTS.length);
        expect(m.has('crisis_catchups_total')).toBe(true);
      }
    }, 90_000);
  });
});
