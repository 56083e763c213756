import type { Writable } from 'node:stream';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { describeEvent, eventText } from '../../../shared/timeline/describe';
import type { Lang } from '../../../shared/i18n';
import { type ExportInput, SortableLocalTime, exportExerciseMark, exportLang, filterText } from '../exportInput';
import { Sink } from '../sink';

export type CsvDelimiter = ';' | ',';

/** Characters that make a spreadsheet read a cell as a formula (or that some treat so). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell, safe for spreadsheets: a value starting like a formula gets a leading apostrophe
 * (shown as text, never evaluated), and a value holding the delimiter, a quote, a line break
 * or `#` (metadata lines start with it) is quoted with inner quotes doubled (RFC 4180).
 */
export function csvCell(value: string | number | boolean | null | undefined, delimiter: CsvDelimiter): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  if (s.includes(delimiter) || /["\r\n#]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** The first column of an exercise's CSV, the mark on every row (absent from a real incident's). */
export const EXERCISE_COLUMN = 'exercise';

export const CSV_COLUMNS = [
  'server_time_utc',
  'server_time_local',
  'event_time_utc',
  'author',
  'kind',
  'category',
  'severity',
  'key',
  'subject_id',
  'summary',
  'text',
  'part',
  'seq',
  'record_hash',
  'event_id',
  /** Entries transcribed from paper: who wrote it by hand, and the sheet (empty otherwise). */
  'paper_writer',
  'paper_sheet',
  /** The author's user id (the `author` column is their name): names change, ids do not. */
  'author_id',
] as const;

function row(e: TimelineEvent, local: SortableLocalTime, lang: Lang): Array<string | number | boolean | null> {
  const log = e.kind === 'log.entry' || e.kind === 'log.amendment' ? e.data : null;
  return [
    e.at,
    local.format(e.at),
    e.eventAt,
    e.author,
    e.kind,
    log?.category ?? null,
    log?.severity ?? null,
    log ? log.key : null,
    subjectId(e),
    describeEvent(e, lang, local.timeZone),
    eventText(e),
    e.ref?.part ?? null,
    e.ref?.seq ?? null,
    e.ref?.hash ?? null,
    e.id,
    log?.paper?.writer ?? null,
    log?.paper?.sheet ?? null,
    e.authorId,
  ];
}

function subjectId(e: TimelineEvent): string | null {
  const d = e.data as Record<string, unknown>;
  for (const key of ['entryId', 'taskId', 'decisionId', 'memberId']) if (typeof d[key] === 'string') return d[key] as string;
  return null;
}

/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads accents right), `;` by
 * default (what a French Excel expects; `,` on request), CRLF line ends. The first lines, each
 * starting with `#`, state the incident, range, production, author and journal head; then one
 * header row and one row per event; then `#` lines with the count and the integrity verdict.
 * Column names, metadata keys and values stay English identifiers with ISO UTC times; only the
 * `summary` column (a sentence for people) is in the export's language.
 * An exercise's CSV starts each row with an `exercise` column holding the mark, and each `#`
 * line ends with it: no line of it can be pasted elsewhere without saying so.
 * Parsers: comment character `#` (csv-parse: `comment: '#'`).
 */
export function csvWriter(delimiter: CsvDelimiter = ';') {
  return async function writeCsv(input: ExportInput, out: Writable): Promise<void> {
    const sink = new Sink(out);
    const local = new SortableLocalTime(input.header.timeZone);
    const lang = exportLang(input.header);
    const h = input.header;
    // An exercise's CSV (issue 17): a first column `exercise` holding the mark on every row, and the mark after every `#` line.
    const mark = exportExerciseMark(h);
    const first = mark ? csvCell(mark, delimiter) + delimiter : '';
    const line = (cells: Array<string | number | boolean | null>) => first + cells.map((c) => csvCell(c, delimiter)).join(delimiter) + '\r\n';
    const meta = (key: string, value: string) => `#${key}${delimiter}${csvCell(value, delimiter)}${mark ? delimiter + csvCell(mark, delimiter) : ''}\r\n`;
    await sink.write(
      '\uFEFF' +
        (mark ? meta('exercise', 'true') : '') +
        meta('crisis-cell timeline', `format ${h.format} v${h.version}`) +
        meta('incident', `${h.incident.id} — ${h.incident.title}`) +
        meta('range', `${h.range.from} → ${h.range.to}`) +
        meta('produced_at', h.producedAt) +
        meta('produced_by', h.producedBy) +
        (h.audience === 'anonymised' ? meta('audience', 'anonymised') : '') +
        meta('time_zone', h.timeZone) +
        meta('language', lang) +
        meta('journal_head', h.journal.headRef) +
        meta('filter', filterText(h.filter, { ...h, lang: 'en' }) || 'none') +
        (mark ? `${EXERCISE_COLUMN}${delimiter}${[...CSV_COLUMNS].map((c) => csvCell(c, delimiter)).join(delimiter)}\r\n` : line([...CSV_COLUMNS])),
    );
    for await (const batch of input.events) {
      let text = '';
      for (const e of batch) text += line(row(e, local, lang));
      await sink.write(text);
    }
    const t = input.trailer();
    await sink.write(meta('event_count', String(t.eventCount)) + meta('integrity', t.integrity.intact ? 'intact' : `BROKEN: ${t.integrity.problems.map((p) => p.message).join(' | ')}`));
    await sink.end();
  };
}
