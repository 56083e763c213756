import * as Y from 'yjs';
import { connectClient, createIncident, waitFor } from '../helpers/testServer';
import { collectRejections, sessionChanges } from '../helpers/sessions';
import { describeWithService } from '../helpers/services';
import { docName } from '../../shared/model/parts';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { exclusiveCluster } from './helpers/clusterLock';
import { clusterScope, startNodes, withPg } from './helpers/cluster';

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'a record sealed on one node', () => {
    const scope = clusterScope('sealed');
    exclusiveCluster(() => scope.drop());

    it('cannot be edited through another node that has not heard of the seal yet', async () => {
      // Each node on a Redis prefix of its own and without the journal watch: node 2 learns of
      // node 1's commits only by reading the journal itself, which makes the window in which a
      // node still holds the unsealed copy as long as the test needs.
      const alone = (tag: string) => ({ REDIS_PREFIX: `${scope.redisPrefix}${tag}:`, JOURNAL_WATCH_SECONDS: '0' });
      const nodes = await startNodes(scope, 2, { env: [alone('a'), alone('b')] });
      const id = await createIncident(nodes[0]!.url);
      const alice = await connectClient(nodes[0]!.url, 'Alice').openIncident(id);
      await alice.whenSynced();
      const decision = alice.recordDecision({ title: 'Couper internet', statement: 'On coupe tout', rationale: 'Exfiltration en cours' });
      await alice.whenAcknowledged();
      const bob = await connectClient(nodes[1]!.url, 'Bob').openIncident(id);
      await bob.whenSynced();
      expect(bob.decisions.get(decision.id)?.status).toBe('proposed');

      alice.setDecisionStatus(decision.id, 'approved');
      await alice.whenAcknowledged();
      expect(bob.decisions.get(decision.id)?.status).toBe('proposed');
      const rejections = collectRejections(bob);
      bob.updateDecision(decision.id, { rationale: 'Par précaution' });
      await waitFor(() => rejections.length > 0, (notify) => bob.onRejected(notify), 'the edit is refused');
      expect(rejections).toEqual([expect.objectContaining({ code: 'UPDATE_SEALED' })]);

      // Node 2 caught up while checking: Bob is shown the approval.
      await waitFor(() => bob.decisions.get(decision.id)?.status === 'approved', sessionChanges(bob), 'the approval reaches Bob');
      // The journal, replayed alone, holds the decision as approved and nothing after.
      const rows = await withPg(scope.schema, async (c) => (await c.query<{ update_bytes: Buffer }>('SELECT update_bytes FROM journal WHERE doc = $1 ORDER BY seq', [docName(id, 'decisions')])).rows);
      const replay = new Y.Doc();
      for (const r of rows) Y.applyUpdate(replay, new Uint8Array(r.update_bytes));
      expect(new DecisionsDoc(replay).get(decision.id)).toMatchObject({ status: 'approved', rationale: 'Exfiltration en cours', statement: 'On coupe tout' });
      expect(rows).toHaveLength(2);
    }, 60_000);
  });
});
