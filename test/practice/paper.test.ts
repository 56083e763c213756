import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import { LogEntrySchema } from '../../shared/model/log';
import { api } from '../helpers/accounts';
import { waitFor } from '../helpers/testServer';
import { getIncidentState } from '../helpers/sessions';
import { clientAs, securitySetup } from '../security/securityHelpers';

async function exportText(url: string, id: string, token: string, format: string): Promise<string> {
  const res = await fetch(`${url}/api/incidents/${id}/timeline?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('paper transcription', () => {
  test('an entry typed from paper keeps its original time and writer, through the SDK and REST, into every export', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);

    const written = '2026-03-02T03:10:00.000Z';
    const viaSdk = alice.appendLog({ text: 'Coupure électrique bâtiment B', eventAt: written, paper: { writer: 'Dr Martin', sheet: 'F3' } });
    await alice.whenAcknowledged();
    await waitFor(() => bob.log.find(viaSdk.id) !== undefined, (n) => bob.log.onChange(n), 'bob sees the transcription');
    expect(bob.log.find(viaSdk.id)).toMatchObject({ author: 'Alice', eventAt: written, paper: { writer: 'Dr Martin', sheet: 'F3' } });

    // REST: the author is whoever posts, the writer whoever held the pen.
    const rest = await api<unknown>(ctx.url, `/api/incidents/${ctx.id}/log`, { token: ctx.bob.token, body: { text: 'Groupe électrogène démarré', eventAt: '2026-03-02T03:25:00.000Z', paper: { writer: 'Infirmière de garde' } } });
    expect(rest.status).toBe(201);
    const posted = LogEntrySchema.parse(rest.body);
    expect(posted).toMatchObject({ author: 'Bob', eventAt: '2026-03-02T03:25:00.000Z', paper: { writer: 'Infirmière de garde' } });
    const bad = await api(ctx.url, `/api/incidents/${ctx.id}/log`, { token: ctx.bob.token, body: { text: 'x', paper: { writer: '', author: 'Alice' } } });
    expect(bad.status).toBe(400);

    const state = await getIncidentState(ctx.url, ctx.id);
    expect(state.log.map((e) => e.paper?.writer ?? null)).toEqual(['Dr Martin', 'Infirmière de garde']);
    // An ordinary entry has no paper field at all (older entries parse as before).
    const plain = alice.appendLog({ text: 'Retour du courant' });
    expect('paper' in plain).toBe(false);
    await alice.whenAcknowledged();

    const json = TimelineExportSchema.parse(JSON.parse(await exportText(ctx.url, ctx.id, ctx.alice.token, 'json')));
    const logEvents = json.events.filter((e) => e.kind === 'log.entry');
    expect(logEvents.map((e) => [e.eventAt, e.kind === 'log.entry' ? e.data.paper?.writer ?? null : null])).toEqual([
      [written, 'Dr Martin'],
      ['2026-03-02T03:25:00.000Z', 'Infirmière de garde'],
      [null, null],
    ]);
    const csv = await exportText(ctx.url, ctx.id, ctx.alice.token, 'csv');
    const rows = csv.split('\r\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('\uFEFF#'));
    const header = rows[0]!.split(';');
    const writerColumn = header.indexOf('paper_writer');
    expect(writerColumn).toBeGreaterThan(0);
    const sdkRow = rows.find((r) => r.includes(viaSdk.id))!.split(';');
    expect([sdkRow[writerColumn], sdkRow[header.indexOf('paper_sheet')]]).toEqual(['Dr Martin', 'F3']);
    for (const format of ['md', 'html']) expect(await exportText(ctx.url, ctx.id, ctx.alice.token, format)).toContain('transcrit du papier, écrit par Dr Martin, feuille F3');
  });
});
