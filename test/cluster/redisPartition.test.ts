import { connectClient, createIncident, waitFor } from '../helpers/testServer';
import { collectRejections, logIds, sessionChanges } from '../helpers/sessions';
import { describeWithService, redisUrl } from '../helpers/services';
import { docName } from '../../shared/model/parts';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, lastRedisLink, oneTo, readLogJournal, startNodes, untilOutput } from './helpers/cluster';
import { TcpLoadBalancer } from './helpers/loadBalancer';

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'one node cut off from Redis', () => {
    const scope = clusterScope('partition');
    exclusiveCluster(() => scope.drop());

    it('what a node commits while its Redis link is down reaches the other nodes once the link is back, with no later edit', async () => {
      // node-1 reaches Redis through a proxy the test can cut; node-2 is connected directly.
      const redis = new URL(redisUrl());
      const link = await TcpLoadBalancer.start([{ name: 'redis', port: Number(redis.port || 6379) }]);
      const nodes = await startNodes(scope, 2, { redisUrls: [`redis://127.0.0.1:${link.port}`] });
      const [cutOff, other] = [nodes[0]!, nodes[1]!];
      const id = await createIncident(other.url);
      const writer = await connectClient(cutOff.url, 'writer').openIncident(id);
      const reader = await connectClient(other.url, 'reader').openIncident(id);
      await Promise.all([writer.whenSynced(), reader.whenSynced()]);
      const rejections = collectRejections(writer, reader);

      writer.appendLog({ text: 'avant la coupure' });
      await waitFor(() => reader.log.entries().length === 1, sessionChanges(reader), 'the first entry crosses');

      link.cut();
      await untilOutput(cutOff, (out) => lastRedisLink(out, 'publisher') === 'down' && lastRedisLink(out, 'subscriber') === 'down', 'node-1 sees its Redis link down');
      // Durable without Redis: PostgreSQL acknowledges; the publish is what fails.
      for (let k = 0; k < 3; k++) writer.appendLog({ text: `pendant la coupure ${k}` });
      await writer.whenAcknowledged();
      expect(reader.log.entries()).toHaveLength(1);

      link.restore();
      await untilOutput(cutOff, (out) => lastRedisLink(out, 'publisher') === 'up' && lastRedisLink(out, 'subscriber') === 'up', 'node-1 back on Redis');
      // Nobody writes again: the other node must still learn about the three entries.
      await waitFor(() => reader.log.entries().length === 4, sessionChanges(reader), 'the entries committed during the cut reach the other node', 10_000);
      expect(logIds(reader)).toEqual(logIds(writer));
      expect(rejections).toEqual([]);
      const journal = await readLogJournal(scope, docName(id, 'log'));
      expect(journal.seqs).toEqual(oneTo(4));
      expect(journal.logIds).toEqual(logIds(writer));
    }, 60_000);
  });
});
