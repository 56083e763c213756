import * as Y from 'yjs';
import { connectClient, createIncident, waitFor } from '../helpers/testServer';
import { collectRejections, logIds, sessionChanges } from '../helpers/sessions';
import { describeWithService, postgresUrl } from '../helpers/services';
import { docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, oneTo, readLogJournal, startNodes } from './helpers/cluster';

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'a record committed but never published', () => {
    const scope = clusterScope('unpublished');
    exclusiveCluster(() => scope.drop());

    it('reaches every node and client within seconds, with no later edit to reveal it', async () => {
      const nodes = await startNodes(scope, 2);
      const id = await createIncident(nodes[0]!.url);
      const readers = await Promise.all(nodes.map((n, i) => connectClient(n.url, `lecteur ${i}`).openIncident(id)));
      await Promise.all(readers.map((r) => r.whenSynced()));
      const rejections = collectRejections(...readers);
      readers[0]!.appendLog({ text: 'publié normalement' });
      await waitFor(() => readers[1]!.log.entries().length === 1, sessionChanges(readers[1]!), 'the published entry crosses');

      // A node commits an entry to the shared journal and dies before it publishes: the record
      // is in PostgreSQL, and no Redis message will ever announce it.
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(readers[0]!.syncs.log.doc));
      const before = Y.encodeStateVector(doc);
      new LogDoc(doc).append(buildLogEntry({ text: 'committé par un nœud mort avant de publier' }, 'lecteur 0', new Date()));
      const store = await PostgresStore.connect(postgresUrl(), { schema: scope.schema });
      try {
        const [record] = await store.append(docName(id, 'log'), [{ author: 'node-disparu', at: new Date(), update: Y.encodeStateAsUpdate(doc, before) }]);
        expect(record!.seq).toBe(2);
      } finally {
        await store.close();
      }

      // Nobody writes again; both nodes must still find it in the journal and deliver it.
      for (const r of readers) await waitFor(() => r.log.entries().length === 2, sessionChanges(r), 'the unpublished entry reaches a client', 15_000);
      expect(logIds(readers[1]!)).toEqual(logIds(readers[0]!));
      expect(readers[0]!.log.entries()[1]!.text).toBe('committé par un nœud mort avant de publier');
      expect(rejections).toEqual([]);
      const journal = await readLogJournal(scope, docName(id, 'log'));
      expect(journal.seqs).toEqual(oneTo(2));
      expect(journal.logIds).toEqual(logIds(readers[0]!));
    }, 60_000);
  });
});
