import * as Y from 'yjs';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS } from '../../shared/model/parts';
import { type Report, emptySections } from '../../shared/model/reports';
import { lastPublished, nextReportDue } from '../../shared/model/reportCadence';
import type { IncidentState } from '../../shared/model/incident';
import { defaultWindowStart } from '../../server/reports/draftReport';
import { LogDoc } from '../../shared/docs/logDoc';
import { emitAck, joinRaw } from '../helpers/rawSocket';
import { waitFor } from '../helpers/testServer';
import { api } from '../helpers/accounts';
import { clientAs, documents, securitySetup, socketAs, transactionUpdate } from '../security/securityHelpers';

jest.setTimeout(60_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Publication fields are sealed with the report: the server checks them when a report is
 * published or a draft created or changed. Every forged update is refused with a code and
 * leaves every document as it was; the honest publication afterwards is accepted.
 */
test('a report is published under the sender’s name, at the server’s time, for a window that has ended, with a number of its own', async () => {
  const ctx = await securitySetup();
  const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await alice.whenSynced();
  const now = Date.now();
  const report = alice.createReport({ windowFrom: iso(now - HOUR), windowTo: iso(now), nextReportAt: iso(now + HOUR) });
  await alice.whenAcknowledged();
  expect(report.number).toBe(1);

  const raw = await socketAs(ctx.url, ctx.bob);
  const before = await documents(ctx);
  // Each from a fresh replica (a new client id), so none depends on a refused one.
  const forge = async (edit: (root: Y.Map<unknown>) => void) => {
    const joined = await joinRaw(raw, ctx.names.reports);
    const update = transactionUpdate(joined.doc, (d) => edit(d.getMap(ROOTS.reports)));
    return emitAck(raw, EVENTS.update, { doc: ctx.names.reports, update });
  };
  const publish = (fields: Record<string, unknown>) => (root: Y.Map<unknown>) => {
    const map = root.get(report.id) as Y.Map<unknown>;
    for (const [k, v] of Object.entries({ status: 'published', publishedBy: 'Bob', publishedAt: iso(Date.now()), ...fields })) map.set(k, v);
  };
  const refusals: Array<[string, (root: Y.Map<unknown>) => void, string]> = [
    ['published by nobody', publish({ publishedBy: null }), 'UPDATE_FORBIDDEN_AUTHOR'],
    ['published in 2099', publish({ publishedAt: '2099-01-01T00:00:00.000Z' }), 'UPDATE_INVALID_CONTENT'],
    ['published an hour ago', publish({ publishedAt: iso(Date.now() - HOUR) }), 'UPDATE_INVALID_CONTENT'],
    ['a window ending tomorrow', publish({ windowTo: iso(Date.now() + 24 * HOUR) }), 'UPDATE_INVALID_CONTENT'],
    ['a window backwards', publish({ windowFrom: iso(now), windowTo: iso(now - 2 * HOUR) }), 'UPDATE_INVALID_CONTENT'],
    ['next report in 2099', publish({ nextReportAt: '2099-01-01T00:00:00.000Z' }), 'UPDATE_INVALID_CONTENT'],
    ['a draft ending in 2099', (root) => (root.get(report.id) as Y.Map<unknown>).set('windowTo', '2099-01-01T00:00:00.000Z'), 'UPDATE_INVALID_CONTENT'],
    ['a draft with publication fields', (root) => (root.get(report.id) as Y.Map<unknown>).set('publishedAt', iso(Date.now())), 'UPDATE_INVALID_CONTENT'],
    [
      'a second report numbered 1',
      (root) => {
        const map = new Y.Map<unknown>();
        root.set('secondreport1', map);
        const fields = { id: 'secondreport1', number: 1, status: 'draft', windowFrom: iso(now - HOUR), windowTo: iso(now), createdBy: 'Bob', createdAt: iso(now), publishedBy: null, publishedAt: null, nextReportAt: null };
        for (const [k, v] of Object.entries(fields)) map.set(k, v);
        for (const s of Object.keys(emptySections())) map.set(s, new Y.Text(''));
      },
      'UPDATE_INVALID_CONTENT',
    ],
  ];
  for (const [what, edit, code] of refusals) {
    const reply = await forge(edit);
    expect([what, reply]).toEqual([what, expect.objectContaining({ ok: false, error: expect.objectContaining({ code }) })]);
    expect(await documents(ctx)).toEqual(before);
  }

  // The same publication, honest: accepted; the countdown counts from it.
  expect(await forge(publish({}))).toMatchObject({ ok: true });
  await waitFor(() => alice.reports.get(report.id)?.status === 'published', (n) => alice.reports.onChange(n), 'Alice sees the publication');
  const published = alice.reports.get(report.id)!;
  expect(published.publishedBy).toBe('Bob');
  expect(Math.abs(Date.parse(published.publishedAt!) - Date.now())).toBeLessThan(5 * MIN);
  // The next automatic draft starts where this one ended.
  const draft = await api<{ window: { from: string; to: string } }>(ctx.url, `/api/incidents/${ctx.id}/reports/draft`, { token: ctx.alice.token });
  expect(draft.status).toBe(200);
  expect(draft.body.window.from).toBe(published.windowTo);
});

/** One bad record (published before the server checked) must not pin the countdown nor break drafting. */
test('the countdown and the default draft window ignore a publication or window in the future and compare times, not strings', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const base: Report = {
    id: 'report000001',
    number: 1,
    status: 'published',
    windowFrom: '2026-03-01T09:00:00.000Z',
    windowTo: '2026-03-01T10:00:00.000Z',
    createdBy: 'Alice',
    createdAt: '2026-03-01T10:00:00.000Z',
    publishedBy: 'Alice',
    publishedAt: '2026-03-01T10:05:00.000Z',
    nextReportAt: null,
    sections: emptySections(),
  };
  // Later as a time, earlier as a string: 11:00+00:30 is 10:30Z.
  const offset: Report = { ...base, id: 'report000002', number: 2, windowTo: '2026-03-01T10:30:00.000Z', publishedAt: '2026-03-01T11:00:00+00:30' };
  const future: Report = { ...base, id: 'report000003', number: 3, windowFrom: '2099-01-01T00:00:00.000Z', windowTo: '2099-01-01T00:00:00.000Z', publishedAt: '2099-01-01T00:00:00.000Z' };
  const reports = [base, offset, future];
  expect(lastPublished(reports, now)?.id).toBe('report000002');
  const meta = { severity: 'critical' as const, reportCadenceMinutes: 60, openedAt: '2026-03-01T08:00:00.000Z' };
  expect(nextReportDue(meta, reports, now).toISOString()).toBe('2026-03-01T11:30:00.000Z');
  const live = { meta, reports } as unknown as IncidentState;
  expect(defaultWindowStart(live, now)).toBe('2026-03-01T10:30:00.000Z');
});

/** Verification records: a time in the future or an entry that does not exist is refused. */
test('a verification record dated in the future or naming no entry is refused; the later real change is the current state', async () => {
  const ctx = await securitySetup();
  const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await alice.whenSynced();
  const entry = alice.appendLog({ text: 'Fuite de données signalée' });
  await alice.whenAcknowledged();

  const raw = await socketAs(ctx.url, ctx.bob);
  const before = await documents(ctx);
  const send = async (records: Array<Record<string, unknown>>, withEntry?: Record<string, unknown>) => {
    const joined = await joinRaw(raw, ctx.names.log);
    const update = transactionUpdate(joined.doc, (d) => {
      if (withEntry) d.getArray(ROOTS.log).push([JSON.stringify(withEntry)]);
      d.getArray('verifications').push(records.map((r) => JSON.stringify(r)));
    });
    return emitAck(raw, EVENTS.update, { doc: ctx.names.log, update });
  };
  const record = (fields: Record<string, unknown>) => ({ entryId: entry.id, state: 'confirmed', by: 'Bob', at: iso(Date.now()), ...fields });

  expect(await send([record({ at: '2099-01-01T00:00:00.000Z' })])).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await documents(ctx)).toEqual(before);
  expect(await send([record({ at: iso(Date.now() + 30 * MIN) })])).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await documents(ctx)).toEqual(before);
  expect(await send([record({ entryId: 'noentry00001' })])).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await documents(ctx)).toEqual(before);

  // Accepted: a past time (an offline client sending late), and an entry brought by the same update.
  expect(await send([record({ state: 'being_checked', at: iso(Date.now() - 2 * HOUR) })])).toMatchObject({ ok: true });
  const fresh = { ...alice.log.find(entry.id)!, id: 'newentry0001', author: 'Bob', text: 'Confirmé par le DPO' };
  expect(await send([record({ entryId: fresh.id })], fresh)).toMatchObject({ ok: true });
  // An offline client's resync: the entry written in an earlier session (another client id) and
  // its verification, sent as one update in which the record comes first (higher client id).
  const replica = (await joinRaw(raw, ctx.names.log)).doc;
  const serverState = Y.encodeStateVector(replica);
  const earlier = { ...fresh, id: 'offlineentr1', text: 'Écrit hors ligne' };
  replica.clientID = 1_000;
  replica.getArray(ROOTS.log).push([JSON.stringify(earlier)]);
  replica.clientID = 2_000_000_000;
  replica.getArray('verifications').push([JSON.stringify(record({ entryId: earlier.id, state: 'being_checked' }))]);
  expect(await emitAck(raw, EVENTS.update, { doc: ctx.names.log, update: Y.encodeStateAsUpdate(replica, serverState) })).toMatchObject({ ok: true });
  await waitFor(() => alice.log.find(earlier.id) !== undefined, (n) => alice.log.onChange(n), 'the resync lands');
  expect(alice.log.currentVerification(alice.log.find(earlier.id)!)).toBe('being_checked');
  // Bob confirms, then Alice refutes: the later real change is the current state.
  expect(await send([record({ at: iso(Date.now() - MIN) })])).toMatchObject({ ok: true });
  await waitFor(() => alice.log.verificationHistory(entry.id).length === 2, (n) => alice.log.onChange(n), 'Alice sees Bob’s records');
  alice.setVerification(entry.id, 'refuted');
  await alice.whenAcknowledged();
  expect(alice.log.verificationHistory(entry.id).map((r) => r.state)).toEqual(['being_checked', 'confirmed', 'refuted']);
  expect(alice.log.currentVerification(alice.log.find(entry.id)!)).toBe('refuted');
  expect(alice.log.currentVerification(alice.log.find(fresh.id)!)).toBe('confirmed');
});

/** Over REST, report drafts are for those who may write; an observer gets the published ones only. */
test('the REST state leaves report drafts out for an observer, now and at a time', async () => {
  const ctx = await securitySetup();
  const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await alice.whenSynced();
  const now = Date.now();
  const published = alice.createReport({ windowFrom: iso(now - 2 * HOUR), windowTo: iso(now - HOUR) });
  await alice.whenAcknowledged();
  alice.publishReport(published.id);
  const draft = alice.createReport({ windowFrom: iso(now - HOUR), windowTo: iso(now) });
  await alice.whenAcknowledged();

  const ids = async (token: string, query = '') => {
    const reply = await api<{ reports: Report[] }>(ctx.url, `/api/incidents/${ctx.id}${query}`, { token });
    expect(reply.status).toBe(200);
    return reply.body.reports.map((r) => r.id).sort();
  };
  const at = `?at=${encodeURIComponent(iso(Date.now() + 1000))}`;
  expect(await ids(ctx.alice.token)).toEqual([published.id, draft.id].sort());
  expect(await ids(ctx.alice.token, at)).toEqual([published.id, draft.id].sort());
  expect(await ids(ctx.olga.token)).toEqual([published.id]);
  expect(await ids(ctx.olga.token, at)).toEqual([published.id]);
});

test('a verification history is ordered by time, not by how the time is spelt', () => {
  const log = new LogDoc(new Y.Doc());
  const at = (state: string, time: string) => JSON.stringify({ entryId: 'entry0000001', state, by: 'Alice', at: time });
  // 11:00+00:30 is 10:30Z: before the refutation at 10:45Z, though later as a string.
  log.verificationArray.push([at('refuted', '2026-03-01T10:45:00.000Z'), at('confirmed', '2026-03-01T11:00:00+00:30')]);
  expect(log.verificationHistory('entry0000001').map((r) => r.state)).toEqual(['confirmed', 'refuted']);
});
