import { parse as parseCsv } from 'csv-parse/sync';
import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import { DRAFT_KINDS } from '../../shared/model/regulatory';
import { suiteServer } from '../timeline/helpers/suiteServer';
import { pdfText } from '../timeline/helpers/pdfText';
import { cli } from '../timeline/helpers/cli';
import { api, setRole } from '../helpers/accounts';
import { exerciseWorld } from './exerciseWorld';

/**
 * Issue 17, item 1: every export of an exercise, its paper kit, its situation reports and every
 * regulatory draft carry "EXERCICE — NE PAS ENVOYER" on every page (PDF text read page by page)
 * and every line (CSV); a real incident's never do.
 */
jest.setTimeout(120_000);

const FR = 'EXERCICE — NE PAS ENVOYER';
const EN = 'EXERCISE — DO NOT SEND';
/** Either language's mark: what a real incident's papers must never hold. */
const ANY_MARK = /EXERCICE — NE PAS ENVOYER|EXERCISE — DO NOT SEND/;

const suite = suiteServer();

interface Seeded {
  id: string;
  /** One draft per kind, by kind. */
  drafts: Record<string, string>;
  report: string;
}

let admin: string;
let exercise: Seeded;
let real: Seeded;

/** A sentence long enough for each row to take a few lines of a PDF table. */
const LONG = 'Serveur de fichiers chiffré, messagerie coupée, appels des services de soins à rappeler ; '.repeat(4);

async function seed(id: string, player: string): Promise<Seeded> {
  const { url } = suite().server;
  // Enough log entries for the timeline PDF to run over several pages.
  for (let start = 0; start < 90; start += 10) {
    const batch = Array.from({ length: 10 }, (_, i) => api(url, `/api/incidents/${id}/log`, { token: admin, body: { text: `Entrée ${start + i} — ${LONG}`, category: 'information' } }));
    for (const reply of await Promise.all(batch)) expect(reply.status).toBe(201);
  }
  const drafts: Record<string, string> = {};
  for (const kind of DRAFT_KINDS) {
    // A long description: the draft's PDF runs over several pages.
    const created = await api<{ draft: { id: string } }>(url, `/api/incidents/${id}/regulatory`, { token: admin, body: { kind, description: `${LONG}\n`.repeat(40) } });
    expect(created.status).toBe(201);
    drafts[kind] = created.body.draft.id;
  }
  // A published situation report, long enough for two pages (the kit prints it too).
  const session = await suite().client(player).openIncident(id);
  await session.whenSynced();
  const report = session.createReport({ windowFrom: new Date(Date.now() - 3_600_000).toISOString(), windowTo: new Date().toISOString(), sections: { conditions: `${LONG}\n`.repeat(30), needs: 'Renfort de 2 techniciens' } });
  await session.whenAcknowledged();
  session.publishReport(report.id);
  await session.whenAcknowledged();
  return { id, drafts, report: report.id };
}

async function get(path: string): Promise<Response> {
  const res = await fetch(`${suite().server.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
  expect(res.status).toBe(200);
  return res;
}
const text = async (path: string) => (await get(path)).text();
const pdfPages = async (path: string) => (await pdfText(Buffer.from(await (await get(path)).arrayBuffer()))).pages;

/** Every page holds the mark; there are at least `min` pages (the "every page" claim means something). */
function expectMarkOnEveryPage(pages: string[], mark: string, min: number): void {
  expect(pages.length).toBeGreaterThanOrEqual(min);
  pages.forEach((page, i) => expect({ page: i + 1, marked: page.includes(mark) }).toEqual({ page: i + 1, marked: true }));
}

beforeAll(async () => {
  const { url } = suite().server;
  const world = await exerciseWorld(url);
  admin = world.admin;
  const created = await api<{ id: string; exercise?: boolean }>(url, '/api/incidents', { token: admin, body: { title: 'Rançongiciel — incident réel' } });
  expect(created.status).toBe(201);
  expect(created.body.exercise).not.toBe(true);
  expect((await setRole(url, created.body.id, world.player.id, 'member')).status).toBe(200);
  exercise = await seed(world.id, 'Joueuse');
  real = await seed(created.body.id, 'Joueuse');
  // An inject fired and answered: the exercise's picture draws a line from one to the other.
  const fired = await world.animate<{ logEntryId: string }>('/injects/email-down/fire');
  expect(fired.status).toBe(200);
  const answer = await api(url, `/api/incidents/${world.id}/log`, { token: world.player.token, body: { text: 'Messagerie coupée : bascule sur le téléphone', replyTo: fired.body.logEntryId } });
  expect(answer.status).toBe(201);
});

const timeline = (id: string, query: string) => `/api/incidents/${id}/timeline?${query}`;

test('JSON: `exercise: true` and the mark at the top level, in the export’s language; the documented schema still parses', async () => {
  const raw = await text(timeline(exercise.id, 'format=json&lang=fr'));
  expect(raw.slice(0, 80)).toContain(`"exercise":true,"exerciseMark":"${FR}"`);
  const doc = TimelineExportSchema.parse(JSON.parse(raw));
  expect(doc).toMatchObject({ exercise: true, exerciseMark: FR, incident: { exercise: true } });
  expect(TimelineExportSchema.parse(JSON.parse(await text(timeline(exercise.id, 'format=json&lang=en'))))).toMatchObject({ exercise: true, exerciseMark: EN });
  const anonymised = TimelineExportSchema.parse(JSON.parse(await text(timeline(exercise.id, 'format=json&audience=anonymised'))));
  expect(anonymised).toMatchObject({ exercise: true, audience: 'anonymised' });
});

test('CSV: a first column `exercise` holds the mark on every row, and every # line ends with it', async () => {
  const csv = await text(timeline(exercise.id, 'format=csv&lang=fr'));
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
  const header = lines.findIndex((l) => !l.startsWith('#'));
  expect(lines[header]).toMatch(/^exercise;server_time_utc;/);
  expect(lines[0]).toBe(`#exercise;true;${FR}`);
  lines.forEach((line, i) => {
    if (i !== header) expect(line).toContain(FR);
  });
  const rows = parseCsv(csv, { bom: true, delimiter: ';', comment: '#', comment_no_infix: true, columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  expect(rows.length).toBeGreaterThan(90);
  expect(new Set(rows.map((r) => r.exercise))).toEqual(new Set([FR]));
  // The comma variant too.
  const comma = await text(timeline(exercise.id, 'format=csv&delimiter=comma&lang=en'));
  const commaLines = comma.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '' && !l.startsWith('exercise,'));
  for (const line of commaLines) expect(line).toContain(EN);
});

test('Markdown: the mark at the top, in the title, in every day’s heading and at the bottom', async () => {
  for (const audience of ['nominative', 'anonymised']) {
    const md = await text(timeline(exercise.id, `format=md&lang=fr&audience=${audience}`));
    expect(md.startsWith(`> **${FR}**`)).toBe(true);
    expect(md).toMatch(new RegExp(`^# ${FR} — `, 'm'));
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.length).toBeGreaterThan(0);
    for (const h of headings) expect(h).toContain(FR);
    expect(md.trimEnd().endsWith(`> **${FR}**`)).toBe(true);
  }
});

test('HTML: a banner at the top and the bottom, the mark in the title and a band fixed on every printed page; the SVG picture under the mark', async () => {
  const html = await text(timeline(exercise.id, 'format=html&lang=en'));
  expect(html).toMatch(new RegExp(`<title>${EN} — `));
  expect(html).toMatch(new RegExp(`<body class="exercise">\\n<div class="exercise-mark top" role="note">${EN}</div>`));
  expect(html).toContain(`<div class="exercise-mark bottom" role="note">${EN}</div>`);
  // Print: the band is fixed (repeated on every printed page) and the table's repeated header row is the mark.
  expect(html).toMatch(/@media print \{[^}]*body\.exercise[\s\S]*\.exercise-mark\.top \{ position: fixed; top: 0;/);
  expect(html).toContain(`<tr class="exercise-row"><th colspan="6">${EN}</th></tr>`);
  const svg = await text(timeline(exercise.id, 'format=svg&lang=fr'));
  expect(svg).toContain(`>${FR}</text>`);
});

test('PDF: the mark on every page of the timeline, nominative and anonymised, in the reader’s language', async () => {
  expectMarkOnEveryPage(await pdfPages(timeline(exercise.id, 'format=pdf&lang=fr')), FR, 4);
  expectMarkOnEveryPage(await pdfPages(timeline(exercise.id, 'format=pdf&lang=en&audience=anonymised')), EN, 4);
});

test('the picture of an exercise: a line from the inject to its answer in the SVG, the inject flag named under the HTML and PDF pictures; a real incident has neither', async () => {
  const INJECT_LINE = /<line [^>]*stroke="#6929c4"/g;
  const FLAG = 'Exercise inject (line: the reaction)';
  expect((await text(timeline(exercise.id, 'format=svg&lang=en'))).match(INJECT_LINE)).toHaveLength(1);
  expect(await text(timeline(exercise.id, 'format=html&lang=en'))).toContain(FLAG);
  expect((await pdfPages(timeline(exercise.id, 'format=pdf&lang=en'))).some((page) => page.includes(FLAG))).toBe(true);
  expect(await text(timeline(real.id, 'format=svg&lang=en'))).not.toMatch(INJECT_LINE);
  expect((await pdfPages(timeline(real.id, 'format=pdf&lang=en'))).some((page) => page.includes(FLAG))).toBe(false);
});

test('the paper kit of an exercise carries the mark on every page', async () => {
  const pages = await pdfPages(`/api/incidents/${exercise.id}/kit.pdf?lang=fr&sheets=3`);
  expectMarkOnEveryPage(pages, FR, 5);
  expect(pages.join('\n')).toContain('Renfort de 2 techniciens');
});

test('every regulatory draft of an exercise, in every format: the mark in its title, on top and on every page', async () => {
  for (const kind of DRAFT_KINDS) {
    const base = `/api/incidents/${exercise.id}/regulatory/${exercise.drafts[kind]}`;
    const md = await text(`${base}?format=md&lang=fr`);
    expect(md.startsWith(`> **${FR}**\n\n# ${FR} — `)).toBe(true);
    expect(md.trimEnd().endsWith(`> **${FR}**`)).toBe(true);
    const pages = await pdfPages(`${base}?format=pdf&lang=fr`);
    expectMarkOnEveryPage(pages, FR, 2);
    expect(pages[0]).toContain(`${FR} — `);
    const json = (await (await get(`${base}?format=json&lang=en`)).json()) as { exercise?: boolean; exerciseMark?: string; draft: { kind: string } };
    expect(json).toMatchObject({ exercise: true, exerciseMark: EN, draft: { kind } });
  }
});

test('a situation report of an exercise: the mark in Markdown, on every PDF page and in its JSON', async () => {
  const base = `/api/incidents/${exercise.id}/reports/${exercise.report}`;
  const md = await text(`${base}?format=md&lang=fr`);
  expect(md.startsWith(`> **${FR}**`)).toBe(true);
  for (const heading of md.split('\n').filter((l) => l.startsWith('## '))) expect(heading).toContain(FR);
  expectMarkOnEveryPage(await pdfPages(`${base}?format=pdf&lang=en`), EN, 2);
  expect(await (await get(`${base}?format=json&lang=fr`)).json()).toMatchObject({ exercise: true, exerciseMark: FR, id: exercise.report });
});

test('npx crisis-cell export of an exercise carries the mark on every line', async () => {
  const run = await cli(['export', exercise.id, '--format', 'csv', '--lang', 'fr'], { DATA_DIR: suite().dataDir });
  expect(run.code).toBe(0);
  const lines = run.stdout.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '' && !l.startsWith('exercise;'));
  expect(lines.length).toBeGreaterThan(90);
  for (const line of lines) expect(line).toContain(FR);
});

test('a real incident’s exports, kit, drafts and reports never carry the mark', async () => {
  const json = JSON.parse(await text(timeline(real.id, 'format=json'))) as Record<string, unknown>;
  expect(json.exercise).toBeUndefined();
  expect(json.exerciseMark).toBeUndefined();
  for (const format of ['json', 'csv', 'md', 'html', 'svg']) {
    for (const lang of ['fr', 'en']) expect(await text(timeline(real.id, `format=${format}&lang=${lang}`))).not.toMatch(ANY_MARK);
  }
  expect((await text(timeline(real.id, 'format=csv'))).replace(/^\uFEFF/, '').split('\r\n').find((l) => !l.startsWith('#'))).toMatch(/^server_time_utc;/);
  const noMark = (pages: string[]) => pages.forEach((p) => expect(p).not.toMatch(ANY_MARK));
  noMark(await pdfPages(timeline(real.id, 'format=pdf')));
  noMark(await pdfPages(`/api/incidents/${real.id}/kit.pdf?sheets=1`));
  for (const kind of DRAFT_KINDS) {
    const base = `/api/incidents/${real.id}/regulatory/${real.drafts[kind]}`;
    expect(await text(`${base}?format=md`)).not.toMatch(ANY_MARK);
    expect(await text(`${base}?format=json`)).not.toMatch(ANY_MARK);
    noMark(await pdfPages(`${base}?format=pdf&lang=en`));
  }
  const report = `/api/incidents/${real.id}/reports/${real.report}`;
  expect(await text(`${report}?format=md`)).not.toMatch(ANY_MARK);
  expect(await text(`${report}?format=json`)).not.toMatch(ANY_MARK);
  noMark(await pdfPages(`${report}?format=pdf`));
  const run = await cli(['export', real.id, '--format', 'md'], { DATA_DIR: suite().dataDir });
  expect(run.code).toBe(0);
  expect(run.stdout).not.toMatch(ANY_MARK);
});
