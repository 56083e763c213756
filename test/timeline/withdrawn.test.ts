import { parse as parseCsv } from 'csv-parse/sync';
import { testUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { connectClient, createIncident, startTestServer } from '../helpers/testServer';
import { pdfText } from './helpers/pdfText';
import { words } from '../../shared/i18n';

/**
 * A log entry its author withdrew within the grace period is gone from the live views, but the
 * journal keeps it: every export prints it marked as withdrawn, never as an ordinary entry
 * (issue 13, item 2). The report draft does not list it as a fact.
 */
jest.setTimeout(120_000);

const GONE = 'Standrad saturé (coquille)';
const KEPT = 'Standard saturé';

test('a withdrawn entry is exported as withdrawn in JSON, CSV, Markdown, HTML and PDF, and is no fact of the report draft', async () => {
  const server = await startTestServer({ logSealGraceSeconds: 120 });
  const url = server.url;
  const alice = await testUser(url, 'Alice');
  const id = await createIncident(url);
  const session = await connectClient(url, 'Alice').openIncident(id);
  await session.whenSynced();
  const gone = session.appendLog({ text: GONE, key: true });
  await session.whenAcknowledged();
  // Withdrawn at once by its author (a typo), then written again.
  const index = session.log.entries().findIndex((e) => e.id === gone.id);
  session.log.array.delete(index, 1);
  const kept = session.appendLog({ text: KEPT, key: true });
  await session.whenAcknowledged();
  const state = await getIncidentState(url, id);
  expect(state.log.map((e) => e.id)).toContain(kept.id);
  expect(state.log.map((e) => e.id)).not.toContain(gone.id);

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res;
  };
  const timeline = (format: string) => get(`/api/incidents/${id}/timeline?format=${format}`);
  const mark = words('fr').exports.withdrawn;

  const json = (await (await timeline('json')).json()) as { events: Array<{ kind: string; data: { entryId?: string; withdrawn?: { at: string } } }> };
  const goneEvent = json.events.find((e) => e.data.entryId === gone.id);
  const keptEvent = json.events.find((e) => e.data.entryId === kept.id);
  expect(goneEvent?.data.withdrawn?.at).toEqual(expect.any(String));
  expect(keptEvent?.data.withdrawn).toBeUndefined();

  const csv = (await (await timeline('csv')).text()).replace(/^\uFEFF/, '');
  const rows = parseCsv(csv, { delimiter: ';', comment: '#', columns: true, relax_column_count: true }) as Array<Record<string, string>>;
  expect(rows.find((r) => r.subject_id === gone.id)?.summary).toContain(mark);
  expect(rows.find((r) => r.subject_id === kept.id)?.summary).not.toContain(mark);

  const md = await (await timeline('md')).text();
  const mdBlock = (text: string) => md.split('\n- ').find((b) => b.includes(text)) ?? '';
  expect(mdBlock(GONE)).toContain(mark);
  expect(mdBlock(KEPT)).not.toContain(mark);

  const html = await (await timeline('html')).text();
  const row = (text: string) => html.split('<tr').find((r) => r.includes(text)) ?? '';
  expect(row(GONE)).toContain(mark);
  expect(row(KEPT)).not.toContain(mark);

  const pdf = await pdfText(Buffer.from(await (await timeline('pdf')).arrayBuffer()));
  const pdfAll = pdf.pages.join('\n').replace(/\s+/g, ' ');
  expect(pdfAll).toContain(mark);
  expect(pdfAll.split(mark).length - 1).toBe(1);

  const draft = await (await get(`/api/incidents/${id}/reports/draft`)).text();
  expect(draft).toContain(KEPT);
  expect(draft).not.toContain(GONE);
});
