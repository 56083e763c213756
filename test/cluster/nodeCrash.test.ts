import { createIncident, waitFor } from '../helpers/testServer';
import { collectRejections, connectClientWith, getIncidentState, logIds, sessionChanges } from '../helpers/sessions';
import { describeWithService } from '../helpers/services';
import { docName } from '../../shared/model/parts';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, oneTo, readLogJournal, shareAccounts, startNodes } from './helpers/cluster';
import { TcpLoadBalancer } from './helpers/loadBalancer';
import { testUser } from '../helpers/accounts';
import { WriterStream } from './helpers/writers';

const WRITERS = 6;

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'a node killed mid-stream', () => {
    const scope = clusterScope('crash');
    exclusiveCluster(() => scope.drop());

    it('kill -9 of one node loses no acknowledged edit, and its clients finish on the other nodes', async () => {
      const nodes = await startNodes(scope, 3);
      const lb = await TcpLoadBalancer.start(nodes.map((n) => ({ name: n.name, port: n.port })));
      // Behind the load balancer are the nodes' accounts (one database). Accounts are made over
      // REST on node-1 beforehand, so the load balancer carries only the sockets it counts.
      shareAccounts([nodes[0]!.url, lb.url]);
      const id = await createIncident(nodes[0]!.url);

      // Clients only know the load balancer, as in production.
      const members = [];
      for (let i = 0; i < WRITERS; i++) {
        const name = `writer-${i}`;
        await testUser(nodes[0]!.url, name);
        const client = connectClientWith(lb.url, name, { query: { client: name } });
        const session = await client.openIncident(id);
        await session.whenSynced();
        members.push({ name, client, session });
      }
      const sessions = members.map((m) => m.session);
      const rejections = collectRejections(...sessions);
      expect(lb.counts()).toEqual({ 'node-1': 2, 'node-2': 2, 'node-3': 2 });

      const stream = new WriterStream(members);
      await waitFor(() => stream.writers.every((w) => w.acked.length >= 10), stream.onProgress, 'every writer under way');

      const victim = nodes[1]!;
      const orphans = stream.writers.filter((w) => lb.backendOf(w.name) === victim.name);
      expect(orphans).toHaveLength(2);
      const killed = await victim.stop('SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      const ackedBeforeKill = stream.writers.flatMap((w) => [...w.acked]);
      const ackedAtKill = new Map(orphans.map((w) => [w, w.acked.length]));

      // The orphans reconnect through the load balancer to a live node and carry on there.
      await waitFor(
        () => orphans.every((w) => w.acked.length >= ackedAtKill.get(w)! + 10 && lb.backendOf(w.name) !== undefined && lb.backendOf(w.name) !== victim.name),
        stream.onProgress,
        'the dead node\'s writers acknowledged on the others',
        30_000,
      );
      expect(lb.counts()[victim.name]).toBe(0);
      await stream.stop();

      const appended = stream.allAppended();
      expect(new Set(appended).size).toBe(appended.length);
      await waitFor(
        () => sessions.every((s) => s.pendingCount === 0 && s.log.entries().length === appended.length),
        sessionChanges(...sessions),
        'every client has every entry, acknowledged',
        30_000,
      );
      expect(rejections).toEqual([]);

      // Everything appended is there once, everywhere, in one order; every acknowledged entry survived.
      const reference = logIds(sessions[0]!);
      expect([...reference].sort()).toEqual([...appended].sort());
      expect(reference).toEqual(expect.arrayContaining(ackedBeforeKill));
      for (const s of sessions) expect(logIds(s)).toEqual(reference);
      for (const node of [nodes[0]!, nodes[2]!]) {
        const state = await getIncidentState(node.url, id);
        expect(state.log.map((e) => e.id)).toEqual(reference);
      }

      // A client arriving afterwards sees the same log.
      await testUser(nodes[0]!.url, 'late');
      const late = connectClientWith(lb.url, 'late', { query: { client: 'late' } });
      const lateSession = await late.openIncident(id);
      await lateSession.whenSynced();
      expect(logIds(lateSession)).toEqual(reference);

      // The shared journal stays gap-free across nodes and replays to exactly the same log. (Its
      // record count is not the entry count: a reconnecting client resends what is unacknowledged
      // as one update, and an edit the dead node committed but never published may come again.)
      const journal = await readLogJournal(scope, docName(id, 'log'));
      expect(journal.seqs).toEqual(oneTo(journal.seqs.length));
      expect(journal.logIds).toEqual(reference);
    }, 90_000);
  });
});
