import * as Y from 'yjs';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS } from '../../shared/model/parts';
import { ReportsDoc } from '../../shared/docs/reportsDoc';
import { emitAck, joinRaw, toBytes } from '../helpers/rawSocket';
import { getIncidentState, sessionChanges } from '../helpers/sessions';
import { waitFor } from '../helpers/testServer';
import { clientAs, securitySetup, socketAs, transactionUpdate } from './securityHelpers';
import { setRole } from '../helpers/accounts';
import { evidenceSnapshot } from './evidenceSnapshot';

const HOUR = 3_600_000;

/** Issue 13, item 4: what a role may read is enforced on the server, at join and at every broadcast. */
describe('read rights per part (issue 13, item 4)', () => {
  test('an observer never receives a situation-report draft over the socket, at join or later; published reports reach it live', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const draft = alice.createReport({ windowFrom: new Date(Date.now() - HOUR).toISOString(), windowTo: new Date().toISOString(), sections: { conditions: 'BROUILLON SECRET' } });
    await alice.whenAcknowledged();

    // At join: the observer's replica holds no draft.
    const olga = await socketAs(ctx.url, ctx.olga);
    const joined = await joinRaw(olga, ctx.names.reports);
    const replica = joined.doc;
    const received: Uint8Array[] = [];
    /** The draft's status as the observer saw it after each update it received. */
    const statuses: string[] = [];
    olga.on(EVENTS.update, (m: { doc: string; update: unknown }) => {
      if (m.doc !== ctx.names.reports) return;
      const u = toBytes(m.update);
      received.push(u);
      Y.applyUpdate(replica, u);
      statuses.push(new ReportsDoc(replica).get(draft.id)?.status ?? 'absent');
    });
    expect(new ReportsDoc(replica).list()).toEqual([]);
    expect(JSON.stringify(replica.getMap(ROOTS.reports).toJSON())).not.toContain('BROUILLON');

    // At every broadcast: a draft's edits never reach it (a member's socket gets them, as a witness).
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await bob.whenSynced();
    alice.setReportSection(draft.id, 'needs', 'BROUILLON: renfort');
    await alice.whenAcknowledged();
    await waitFor(() => bob.reports.get(draft.id)?.sections.needs.includes('renfort') === true, sessionChanges(bob), 'a member sees the draft edit');

    expect(received).toEqual([]);
    expect(new ReportsDoc(replica).list()).toEqual([]);

    // Its write to the part is refused and changes nothing.
    const before = await evidenceSnapshot(ctx);
    const forged = transactionUpdate((await joinRaw(olga, ctx.names.reports)).doc, (d) => d.getMap(ROOTS.reports).set('olgareport00001', new Y.Map()));
    expect(await emitAck(olga, EVENTS.update, { doc: ctx.names.reports, update: forged })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await evidenceSnapshot(ctx)).toEqual(before);

    // Published, it reaches the observer live, sections and all.
    alice.publishReport(draft.id);
    await alice.whenAcknowledged();
    await waitFor(() => new ReportsDoc(replica).get(draft.id)?.status === 'published', (notify) => {
      replica.on('update', notify);
      return () => replica.off('update', notify);
    }, 'the observer to see the publication');
    // The sentinel: the publication came after the draft's edits on the same socket, so any of
    // them sent to the observer arrived before it; none showed it a draft.
    expect(statuses.slice(0, statuses.indexOf('published')).filter((s) => s !== 'absent')).toEqual([]);
    const seen = new ReportsDoc(replica).get(draft.id);
    expect(seen).toMatchObject({ status: 'published', sections: expect.objectContaining({ needs: 'BROUILLON: renfort' }) });
    // And the REST state agrees (one rule): published reports only, for the observer.
    const rest = await fetch(`${ctx.url}/api/incidents/${ctx.id}`, { headers: { authorization: `Bearer ${ctx.olga.token}` } });
    expect(((await rest.json()) as { reports: Array<{ status: string }> }).reports.map((r) => r.status)).toEqual(['published']);
    expect((await getIncidentState(ctx.url, ctx.id)).reports.map((r) => r.id)).toEqual([draft.id]);
    alice.close();
    bob.close();
  });

  test('a member demoted to observer while joined gets no later broadcast of a draft', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const draft = alice.createReport({ windowFrom: new Date(Date.now() - HOUR).toISOString(), windowTo: new Date().toISOString(), sections: { conditions: 'premier jet' } });
    await alice.whenAcknowledged();
    const bob = await socketAs(ctx.url, ctx.bob);
    const replica = (await joinRaw(bob, ctx.names.reports)).doc;
    const texts: string[] = [];
    bob.on(EVENTS.update, (m: { doc: string; update: unknown }) => {
      if (m.doc !== ctx.names.reports) return;
      const u = toBytes(m.update);
      Y.applyUpdate(replica, u);
      texts.push(JSON.stringify(replica.getMap(ROOTS.reports).toJSON()));
    });
    expect((await setRole(ctx.url, ctx.id, ctx.bob.id, 'observer')).status).toBe(200);
    alice.setReportSection(draft.id, 'needs', 'SECRET APRÈS RÉTROGRADATION');
    await alice.whenAcknowledged();
    // The witness: a member's session sees the edit; then the publication reaches Bob through the view.
    const carol = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await carol.whenSynced();
    expect(carol.reports.get(draft.id)?.sections.needs).toContain('SECRET');
    expect(texts.join('')).not.toContain('SECRET');
    alice.publishReport(draft.id);
    await alice.whenAcknowledged();
    await waitFor(() => texts.length > 0, (notify) => {
      bob.on(EVENTS.update, notify);
      return () => bob.off(EVENTS.update, notify);
    }, 'the publication to reach Bob');
    alice.close();
    carol.close();
  });
});
