import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { TimelineExportSchema, type TimelineExport } from '../../shared/timeline/exportDocument';
import { suiteServer } from './helpers/suiteServer';
import { until } from '../helpers/poll';
import { playScriptedIncident, type ScriptedIncident } from './helpers/scriptedIncident';
import { pdfText } from './helpers/pdfText';
import { csvCell } from '../../server/export/writers/csvWriter';
import { TEST_ADMIN, adminUser, setRole, testUser } from '../helpers/accounts';

const suite = suiteServer();
let scripted: ScriptedIncident;
let tricky: string;
/** A large incident (6,000 entries), for the abandoned PDF. */
let big: string;

/** Text that breaks naive exports: formulas, separators, quotes, line breaks, markup, and characters outside WinAnsi. */
const TRICKY = [
  '=HYPERLINK("http://evil.example","clic")',
  '+33 6 12 34 56 78 rappeler',
  '-2+3 lits disponibles',
  '@SUM(A1:A9)',
  'Cœur de réseau ; « pare-feu » coupé — reprise prévue… l’équipe dit "ok", #urgent',
  'Ligne 1\nLigne 2 <script>alert(1)</script> *gras* [lien](x)',
];

async function get(id: string, query: string): Promise<Response> {
  const res = await suite().fetch(`/api/incidents/${id}/timeline?by=Cellule%20de%20crise${query}`);
  expect(res.status).toBe(200);
  return res;
}

async function json(id: string): Promise<TimelineExport> {
  return TimelineExportSchema.parse(await (await get(id, '&format=json')).json());
}

beforeAll(async () => {
  // Seeded first, straight into the store: seeding blocks this process (server included) for
  // seconds, and a client connection idle meanwhile would be closed by the server's overdue
  // keep-alive timer just as fetch picks it from its pool (ECONNRESET). Before any request,
  // there is none.
  const { seedTimelineIncident } = await import('../../bench/lib/seedTimeline');
  big = (await seedTimelineIncident(suite().server.store, { logEntries: 6_000, taskMoves: 50, decisions: 5, spanHours: 4 })).id;
  scripted = await playScriptedIncident(suite());
  const { server } = suite();
  const created = await suite().fetch('/api/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Incident « piégé » — œuvre…' }) });
  tricky = ((await created.json()) as { id: string }).id;
  // A member whose display name is a spreadsheet formula: it reaches the exports as the author.
  expect((await setRole(server.url, tricky, (await testUser(server.url, '=Mallory')).id, 'member')).status).toBe(200);
  for (const text of TRICKY) {
    const res = await suite().fetch(`/api/incidents/${tricky}/log`, { as: '=Mallory', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, category: 'information' }) });
    expect(res.status).toBe(201);
  }
});

test('JSON parses with the documented schema, and names the download', async () => {
  const res = await get(scripted.id, '&format=json');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="incident-${scripted.id}-timeline-\\d{8}T\\d{6}Z\\.json"`));
  const doc = TimelineExportSchema.parse(await res.json());
  expect(res.headers.get('x-journal-head')).toBe(doc.journal.headRef);
  expect(doc.events).toHaveLength(scripted.expected.length);
});

test('CSV opens in a spreadsheet: BOM, accents, one row per event, formulas defused', async () => {
  const res = await get(tricky, '&format=csv');
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).toContain('\r\n');
  const rows = parseCsv(text, { bom: true, delimiter: ';', comment: '#', comment_no_infix: true, columns: true, skip_empty_lines: true, relax_column_count: false }) as Array<Record<string, string>>;
  const doc = await json(tricky);
  expect(rows).toHaveLength(doc.events.length);
  expect(rows.map((r) => r.kind)).toEqual(doc.events.map((e) => e.kind));
  const logRows = rows.filter((r) => r.kind === 'log.entry');
  // Every cell that a spreadsheet would evaluate starts with an apostrophe; the rest is intact.
  expect(logRows.map((r) => r.text)).toEqual([
    `'=HYPERLINK("http://evil.example","clic")`,
    "'+33 6 12 34 56 78 rappeler",
    "'-2+3 lits disponibles",
    "'@SUM(A1:A9)",
    'Cœur de réseau ; « pare-feu » coupé — reprise prévue… l’équipe dit "ok", #urgent',
    'Ligne 1\nLigne 2 <script>alert(1)</script> *gras* [lien](x)',
  ]);
  expect(new Set(logRows.map((r) => r.author))).toEqual(new Set(["'=Mallory"]));
  expect(rows[0]!.server_time_utc).toBe(doc.events[0]!.at);
  expect(rows[0]!.server_time_local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(rows.at(-1)!.record_hash).toBe(doc.events.at(-1)!.ref!.hash);
  // The metadata lines state the incident, production and journal head.
  const meta = text.split('\r\n').filter((l) => l.startsWith('#'));
  expect(meta.join('\n')).toContain(tricky);
  expect(meta.join('\n')).toContain('Incident « piégé » — œuvre…');
  // The producer is the authenticated requester (the `by` parameter is ignored once accounts exist).
  expect(meta.join('\n')).toContain(`#produced_by;Administrator <${TEST_ADMIN.email}>`);
  expect(meta.join('\n')).toContain(`#journal_head;${doc.journal.headRef}`);
  expect(meta.at(-1)).toBe('#integrity;intact');

  // Inputs are trimmed, so no text starts with a tab or a carriage return; the cell writer defuses them anyway.
  expect(['\tx', '\rx', '=1', 'a;b', 'a,b', 'say "hi"', '1#2', 'plain'].map((v) => csvCell(v, ';'))).toEqual(["'\tx", `"'\rx"`, "'=1", '"a;b"', 'a,b', '"say ""hi"""', '"1#2"', 'plain']);
  expect(csvCell('a,b', ',')).toBe('"a,b"');

  // RFC 4180 commas on request.
  const comma = await (await get(tricky, '&format=csv&delimiter=comma')).text();
  const commaRows = parseCsv(comma, { bom: true, comment: '#', comment_no_infix: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  expect(commaRows.map((r) => r.text)).toEqual(rows.map((r) => r.text));
});

test('Markdown states the header and lists every event, user text escaped', async () => {
  const md = await (await get(scripted.id, '&format=md')).text();
  const doc = await json(scripted.id);
  expect(md).toMatch(/^# Chronologie de l’incident — Cyberattaque — rançongiciel au CHU\n/);
  expect(md).toContain(`\`${doc.journal.headRef}\``);
  expect(md).toContain('**Par**\u202F: Administrator ');
  expect(md).not.toContain('Cellule de crise');
  const items = md.split('\n').filter((l) => l.startsWith('- **') && /^- \*\*\d{2}:\d{2}:\d{2}\*\*/.test(l));
  expect(items).toHaveLength(doc.eventCount);
  expect(md).toContain('Chaîne de hachage vérifiée à la production\u202F: intacte');

  const trickyMd = await (await get(tricky, '&format=md')).text();
  expect(trickyMd).toContain('  > Ligne 1\n  > Ligne 2 \\<script\\>alert(1)\\</script\\> \\*gras\\* \\[lien\\](x)');
});

test('HTML is one standalone printable file: inline style and picture, no external asset, text escaped', async () => {
  const html = await (await get(scripted.id, '&format=html')).text();
  const doc = await json(scripted.id);
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toContain('@media print');
  expect(html).toContain('@page { size: A4 landscape');
  // Nothing fetched: no script, stylesheet link, image or font URL (the SVG namespace is a name, not a fetch).
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
  expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  expect(html).toContain('<svg');
  for (const lane of ['Incident', 'Main courante — Alerte', 'Tâches', 'Décisions']) expect(html).toContain(lane);
  expect(html).toContain('Détection');
  expect(html).toContain(doc.journal.headRef);
  expect(html.match(/<tr class="[^"]*"><td class="time">/g)).toHaveLength(doc.eventCount);

  const trickyHtml = await (await get(tricky, '&format=html')).text();
  expect(trickyHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(trickyHtml).not.toContain('<script>alert(1)');
});

test('PDF has the expected pages and text, French typography included', async () => {
  const res = await get(scripted.id, '&format=pdf');
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const pdf = Buffer.from(await res.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const doc = await json(scripted.id);
  const { total, pages } = await pdfText(pdf);
  // The first page states the facts and draws the picture; the scripted events fit on the second.
  expect(total).toBe(2);
  const first = pages[0]!;
  expect(first).toContain('Chronologie de l’incident — Cyberattaque — rançongiciel au CHU');
  expect(first).toContain(`Administrator <${TEST_ADMIN.email}>`);
  expect(first).toContain(doc.journal.headRef.slice(0, 40));
  expect(first).toContain('Notification CNIL (72 h)');
  const second = pages[1]!;
  for (const text of ['Écrans bloqués aux urgences', 'Isoler le réseau d’imagerie', 'Couper l’accès internet', 'Alice Lefèvre', 'Bob Œuvray', '« vos fichiers sont chiffrés »…', 'Clôture de l’incident']) expect(second).toContain(text);
  expect(second).toContain('Fin du document — 2 pages');
  for (const [i, page] of pages.entries()) expect(page).toContain(`Page ${i + 1}`);
});

test('PDF of a longer incident: every page numbered, the last one gives the count, long texts never lost', async () => {
  const created = await suite().fetch('/api/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Longue garde' }) });
  const id = ((await created.json()) as { id: string }).id;
  const long = Array.from({ length: 400 }, (_, i) => `mot${i}`).join(' ') + ' FINDULONGTEXTE';
  for (let i = 0; i < 120; i++) {
    const text = i === 60 ? long : `Point de situation n°${i} — œ’…`;
    const res = await suite().fetch(`/api/incidents/${id}/log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect(res.status).toBe(201);
  }
  const pdf = Buffer.from(await (await get(id, '&format=pdf')).arrayBuffer());
  const { total, pages } = await pdfText(pdf);
  expect(total).toBeGreaterThan(3);
  // The opening, the creator becoming director, and the 120 entries.
  expect(pages.at(-1)).toContain(`Fin du document — ${total} pages — 122 événements`);
  for (const [i, page] of pages.entries()) expect(page).toContain(`Page ${i + 1}`);
  const all = pages.join('\n');
  for (let i = 0; i < 120; i++) if (i !== 60) expect(all).toContain(`Point de situation n°${i} `);
  expect(all).toContain('FINDULONGTEXTE');
  expect(all).toContain('mot399');
});

test('SVG picture alone', async () => {
  const res = await get(scripted.id, '&format=svg');
  expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const svg = await res.text();
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('Décisions (5)');
  expect(svg).toContain('Tâches (4)');
  expect(svg.match(/<polygon /g)!.length).toBeGreaterThanOrEqual(5);
});

test('a reader that leaves in the middle of a large PDF leaves nothing behind, and the next export is whole', async () => {
  const { server } = suite();
  // Seeded straight into the store: nobody is a member yet; the administrator makes itself one.
  const admin = await adminUser(server.url);
  expect((await setRole(server.url, big, admin.id, 'director')).status).toBe(200);
  const previous = process.env.TMPDIR;
  // The server runs in this process: its spool files go where this test can see them.
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-spool-'));
  process.env.TMPDIR = spoolDir;
  try {
    const controller = new AbortController();
    const res = await suite().fetch(`/api/incidents/${big}/timeline?format=pdf`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    // The spool is removed once the server sees the reader gone; nothing tells this test when.
    await until(() => fs.readdirSync(spoolDir).length === 0, 'the spool of the abandoned export to be removed', 20_000);
  } finally {
    process.env.TMPDIR = previous;
    fs.rmSync(spoolDir, { recursive: true, force: true });
  }
  // The server is fine and serves the next export whole.
  const again = await get(scripted.id, '&format=pdf');
  expect(Buffer.from(await again.arrayBuffer()).subarray(-6).toString()).toContain('%%EOF');
});
