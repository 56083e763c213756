import { parse as parseCsv } from 'csv-parse/sync';
import { api, testUser } from '../helpers/accounts';
import { connectClient, createIncident, startTestServer } from '../helpers/testServer';
import { pdfText } from '../timeline/helpers/pdfText';
import { documents } from './securityHelpers';

/**
 * Exports neutralise control characters (issue 13, item 7): a carriage return, another C0 or
 * C1 control, a Unicode line separator or a bidirectional override in what someone typed can
 * neither forge structure (a heading or an entry of the Markdown chronology) nor hide or
 * reorder text in any export format. Invalid query values answer 400 BAD_REQUEST, not 500.
 */
jest.setTimeout(90_000);

/** A log entry that tries to break out of its block in every way a renderer may honour. */
const EVIL = [
  'Début de panne',
  '\r# Forged heading',
  '\r\n- 09:00 forged entry',
  '\u2028## Forged by a line separator',
  '\u0085- 10:00 forged by NEL',
  ' fichier \u202Egnp.exe\u202C',
  ' \u2066isolé\u2069 \u0007bell \u001b[31mrouge \u009b2J \u007f',
].join('');
const TITLE = 'Incident \u202Etxt.exe\r# Titre forgé';

/** Controls no export may carry raw: C0 but TAB and LF, DEL, C1, line/paragraph separators, bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

function expectClean(what: string, text: string): void {
  const found = FORBIDDEN.exec(text);
  expect({ what, found: found ? `U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${found.index}` : null }).toEqual({ what, found: null });
}

/** CommonMark line endings are LF, CR and CRLF: a forged line would start after any of them. */
function markdownLines(md: string): string[] {
  return md.split(/\r\n|\r|\n/);
}

function expectNoForgedLines(what: string, text: string): void {
  const forged = markdownLines(text).filter((l) => /^\s{0,3}#{1,6}\s*(Forged|Titre forgé)/.test(l) || /^\s{0,3}[-*+]\s+\d{2}:\d{2} forged/.test(l));
  expect({ what, forged }).toEqual({ what, forged: [] });
}

test('every export format neutralises control characters; Markdown chronology and report drafts get no forged heading or entry', async () => {
  const server = await startTestServer();
  const url = server.url;
  const alice = await testUser(url, 'Alice');
  const id = await createIncident(url, TITLE);
  const posted = await api<{ id: string }>(url, `/api/incidents/${id}/log`, { token: alice.token, body: { text: EVIL, category: 'information', key: true } });
  expect(posted.status).toBe(201);
  const session = await connectClient(url, 'Alice').openIncident(id);
  await session.whenSynced();
  const now = new Date();
  const report = session.createReport({ windowFrom: new Date(now.getTime() - 3_600_000).toISOString(), windowTo: now.toISOString(), sections: { conditions: EVIL, actionsInProgress: '', actionsDone: '', decisions: '', needs: '' } });
  await session.whenAcknowledged();

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res;
  };
  const timeline = (format: string) => get(`/api/incidents/${id}/timeline?format=${format}`);

  // Markdown: no raw control, no line a renderer would take as a heading or an entry.
  const md = await (await timeline('md')).text();
  expectClean('md', md);
  expect(md).not.toContain('\r');
  expectNoForgedLines('md', md);
  expect(markdownLines(md).filter((l) => /^#{1,6} /.test(l)).every((l) => l.startsWith('# Chronologie') || /^## /.test(l) && !/Forged/.test(l))).toBe(true);
  expect(md).toContain('Forged heading');

  // CSV: one row per event, the text cell readable and clean (rows end in CRLF, cells hold LF only).
  const csv = await (await timeline('csv')).text();
  expectClean('csv', csv.replace(/\r\n/g, '\n'));
  expect(csv.replace(/\r\n/g, '\n')).not.toContain('\r');
  const rows = parseCsv(csv, { bom: true, delimiter: ';', comment: '#', comment_no_infix: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const logRow = rows.find((r) => r.kind === 'log.entry')!;
  expect(logRow.text).toContain('Forged heading');

  for (const format of ['html', 'svg']) {
    const text = await (await timeline(format)).text();
    expectClean(format, text);
    expect(text).not.toContain('\r');
  }
  const pdf = await pdfText(Buffer.from(await (await timeline('pdf')).arrayBuffer()));
  expectClean('pdf', pdf.pages.join('\n'));
  expect(pdf.pages.join('\n')).toContain('Forged heading');

  // JSON keeps the data exactly, every control escaped in the raw text.
  const jsonText = await (await timeline('json')).text();
  expectClean('json', jsonText);
  const doc = JSON.parse(jsonText) as { incident: { title: string }; events: Array<{ kind: string; data: { text?: string } }> };
  expect(doc.events.find((e) => e.kind === 'log.entry')!.data.text).toBe(EVIL);
  expect(doc.incident.title).toBe(TITLE.trim());

  // The situation-report draft computed from the log: its suggested Markdown has no forged line.
  const draftRes = await get(`/api/incidents/${id}/reports/draft`);
  const draftText = await draftRes.text();
  expectClean('draft json', draftText);
  const draft = { body: JSON.parse(draftText) as { sections: Record<string, string>; log: Array<{ text: string }> } };
  expect(draft.body.log.map((l) => l.text)).toContain(EVIL);
  for (const [name, text] of Object.entries(draft.body.sections)) {
    expectClean(`draft ${name}`, text);
    expect(text).not.toContain('\r');
    expectNoForgedLines(`draft ${name}`, text);
  }
  expect(draft.body.sections.conditions).toContain('Forged heading');

  // A report the cell wrote: its Markdown and PDF exports.
  const reportMd = await (await get(`/api/incidents/${id}/reports/${report.id}?format=md`)).text();
  expectClean('report md', reportMd);
  expect(reportMd).not.toContain('\r');
  expect(markdownLines(reportMd).filter((l) => /^\s{0,3}#{1,6}\s*(Forged|Titre forgé)/.test(l))).toEqual([]);
  const reportJson = await (await get(`/api/incidents/${id}/reports/${report.id}?format=json`)).text();
  expectClean('report json', reportJson);
  expect((JSON.parse(reportJson) as { sections: { conditions: string } }).sections.conditions).toBe(EVIL);
  const reportPdf = await pdfText(Buffer.from(await (await get(`/api/incidents/${id}/reports/${report.id}?format=pdf`)).arrayBuffer()));
  expectClean('report pdf', reportPdf.pages.join('\n'));
});

test('invalid query values on state, export and report routes answer 400 BAD_REQUEST and change nothing', async () => {
  const server = await startTestServer();
  const url = server.url;
  const alice = await testUser(url, 'Alice');
  const id = await createIncident(url);
  expect((await api(url, `/api/incidents/${id}/log`, { token: alice.token, body: { text: 'une entrée' } })).status).toBe(201);
  const before = await documents({ server, id });
  const bad = [
    `/api/incidents/${id}?at=${encodeURIComponent('2026-01-01T00:00:00+99:00')}`,
    `/api/incidents/${id}?at=${encodeURIComponent('2026-13-45T00:00:00Z')}`,
    `/api/incidents/${id}?at=hier`,
    `/api/incidents/${id}?at=1&at=2`,
    `/api/incidents/${id}/timeline?from=${encodeURIComponent('2026-01-01T00:00:00+99:00')}`,
    `/api/incidents/${id}/timeline?to=${encodeURIComponent('2026-01-01T00:00:00-77:30')}`,
    `/api/incidents/${id}/timeline?tz=Mars/Olympus`,
    `/api/incidents/${id}/timeline?format=exe`,
    `/api/incidents/${id}/reports/draft?from=${encodeURIComponent('2026-01-01T00:00:00+99:00')}`,
    `/api/incidents/${id}/reports/draft?lang=xx`,
    `/api/incidents/${id}/reports/draft?tz=Nowhere/Else`,
    `/api/incidents/${id}/handover?since=${encodeURIComponent('2026-01-01T00:00:00+99:00')}`,
  ];
  for (const path of bad) {
    const reply = await api<{ error?: { code: string } }>(url, path, { token: alice.token });
    expect({ path, status: reply.status, code: reply.body?.error?.code }).toEqual({ path, status: 400, code: 'BAD_REQUEST' });
  }
  expect(await documents({ server, id })).toEqual(before);
});
