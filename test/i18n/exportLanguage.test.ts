import { parse as parseCsv } from 'csv-parse/sync';
import { LANGS, type Lang } from '../../shared/i18n/lang';
import { dateFormatter } from '../../shared/i18n/dates';
import { words } from '../../shared/i18n';
import { CSV_COLUMNS } from '../../server/export/writers/csvWriter';
import { suiteServer } from '../timeline/helpers/suiteServer';
import { pdfText } from '../timeline/helpers/pdfText';
import { cli } from '../timeline/helpers/cli';
import { type SeededIncident, seedIncident } from './helpers/seededIncident';
import { foreignHabits, formatterOutputs, isoInstants, strangeDates } from './helpers/habits';

/**
 * Issue 14 item 3: every export format, rendered in English and in French for one seeded
 * incident, speaks one language (no word or punctuation habit of the other), says which time
 * zone its times are in, and writes every date through the shared formatter.
 */
const suite = suiteServer();
let seeded: SeededIncident;
const ZONE = 'America/New_York';
const instants: string[] = [];

beforeAll(async () => {
  seeded = await seedIncident(suite());
  const timeline = await (await suite().fetch(`/api/incidents/${seeded.id}/timeline?format=json`)).json();
  const regulatory = await (await suite().fetch(`/api/incidents/${seeded.id}/regulatory`)).json();
  instants.push(...isoInstants(timeline), ...isoInstants(regulatory));
}, 60_000);

async function body(path: string, lang: Lang): Promise<{ text: string; kind: string }> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await suite().fetch(`${path}${sep}lang=${lang}&tz=${encodeURIComponent(ZONE)}`);
  expect(res.status).toBe(200);
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('application/pdf')) return { text: (await pdfText(Buffer.from(await res.arrayBuffer()))).pages.join('\n'), kind: 'pdf' };
  const text = await res.text();
  // HTML and SVG: the text a reader sees (the stylesheet and the markup are no language).
  if (/html|svg/.test(type)) return { text: text.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' '), kind: type };
  return { text, kind: type };
}

/** Every human-readable export of the seeded incident. */
function exportsOf(): Array<[string, string]> {
  const id = seeded.id;
  return [
    ['timeline Markdown', `/api/incidents/${id}/timeline?format=md`],
    ['timeline HTML', `/api/incidents/${id}/timeline?format=html`],
    ['timeline PDF', `/api/incidents/${id}/timeline?format=pdf`],
    ['timeline SVG', `/api/incidents/${id}/timeline?format=svg`],
    ['situation report Markdown', `/api/incidents/${id}/reports/${seeded.reportId}?format=md`],
    ['situation report PDF', `/api/incidents/${id}/reports/${seeded.reportId}?format=pdf`],
    ['paper kit PDF', `/api/incidents/${id}/kit.pdf?sheets=1`],
    ['regulatory draft Markdown', `/api/incidents/${id}/regulatory/${seeded.draftId}?format=md`],
    ['regulatory draft PDF', `/api/incidents/${id}/regulatory/${seeded.draftId}?format=pdf`],
  ];
}

describe.each(LANGS.map((l) => [l]))('exports in %s', (lang) => {
  test('every format speaks only its language, states its zone and writes dates through the shared formatter', async () => {
    const offset = dateFormatter(lang, ZONE).offset(new Date());
    const timesIn = words(lang).exports.timesIn(ZONE, offset);
    const rendered: Array<[string, string]> = [];
    for (const [name, path] of exportsOf()) rendered.push([name, (await body(path, lang)).text]);
    // Every instant up to now: the exports print when they were produced.
    const known = formatterOutputs(lang, ZONE, seeded.startedAt - 3_700_000, Date.now() + 1000, instants);
    for (const [name, text] of rendered) {
      const flat = text.replace(/\s+/g, ' ');
      expect({ name, foreign: foreignHabits(text, lang) }).toEqual({ name, foreign: [] });
      expect({ name, dates: strangeDates(flat, known) }).toEqual({ name, dates: [] });
      // Markdown escapes the underscore of a zone name (New\_York).
      if (!name.endsWith('SVG')) expect({ name, zone: flat.replace(/\\([_*[\]<>|~`\\])/g, '$1').includes(timesIn) }).toEqual({ name, zone: true });
    }
  }, 120_000);

  test('the CSV keeps English column names and ISO UTC times; its summary column is in the language', async () => {
    const { text } = await body(`/api/incidents/${seeded.id}/timeline?format=csv`, lang);
    const rows = parseCsv(text.replace(/^\uFEFF/, ''), { delimiter: ';', comment: '#', relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const summary = CSV_COLUMNS.indexOf('summary');
    for (const row of rows.slice(1)) {
      expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      expect({ summary: row[summary], foreign: foreignHabits(row[summary]!, lang) }).toEqual({ summary: row[summary], foreign: [] });
    }
    expect(text).toContain(`#language;${lang}`);
  }, 60_000);

  test('the suggested texts of a report draft are in the language, their dates from the shared formatter', async () => {
    const { text } = await body(`/api/incidents/${seeded.id}/reports/draft`, lang);
    const draft = JSON.parse(text) as { sections: Record<string, string> };
    const known = formatterOutputs(lang, ZONE, seeded.startedAt - 3_700_000, Date.now() + 1000, instants);
    for (const section of Object.values(draft.sections)) {
      expect(foreignHabits(section, lang)).toEqual([]);
      expect(strangeDates(section, known)).toEqual([]);
    }
  }, 60_000);
});

test('without lang or tz, an export follows Accept-Language, then French and Europe/Paris; a bad value is refused with BAD_REQUEST', async () => {
  const path = `/api/incidents/${seeded.id}/timeline?format=md`;
  const en = await (await suite().fetch(path, { headers: { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.8' } })).text();
  expect(en).toContain('# Incident timeline');
  expect(en).toContain('Times in Europe/Paris (UTC');
  const fr = await (await suite().fetch(path, { headers: { 'accept-language': 'de-DE' } })).text();
  expect(fr).toContain('# Chronologie de l’incident');
  expect(fr).toContain('Heures en Europe/Paris (UTC');
  for (const query of ['lang=de', 'tz=Mars/Olympus']) {
    for (const p of [path, `/api/incidents/${seeded.id}/kit.pdf`, `/api/incidents/${seeded.id}/reports/${seeded.reportId}?format=md`, `/api/incidents/${seeded.id}/regulatory/${seeded.draftId}?format=md`, `/api/incidents/${seeded.id}/reports/draft`]) {
      const res = await suite().fetch(`${p}${p.includes('?') ? '&' : '?'}${query}`);
      expect({ p, query, status: res.status }).toEqual({ p, query, status: 400 });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
  }
}, 60_000);

test('the CLI export takes --lang and --tz (default fr, Europe/Paris) and refuses a language it does not speak', async () => {
  const english = await cli(['export', seeded.id, '--format', 'md', '--lang', 'en', '--tz', ZONE], { DATA_DIR: suite().dataDir });
  expect(english.code).toBe(0);
  expect(english.stdout).toContain('# Incident timeline');
  expect(english.stdout).toContain(`Times in ${ZONE} (`);
  expect(foreignHabits(english.stdout, 'en')).toEqual([]);
  const french = await cli(['export', seeded.id, '--format', 'md'], { DATA_DIR: suite().dataDir });
  expect(french.stdout).toContain('Heures en Europe/Paris (');
  expect(foreignHabits(french.stdout, 'fr')).toEqual([]);
  expect((await cli(['export', seeded.id, '--lang', 'de'], { DATA_DIR: suite().dataDir })).code).toBe(2);
}, 120_000);
