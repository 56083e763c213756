import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { describeEvent, eventText, kindLabel } from '../../../shared/timeline/describe';
import { authorLabel } from '../../../shared/timeline/authorLabel';
import { type Lang, words } from '../../../shared/i18n';
import type { DateFormatter } from '../../../shared/i18n/dates';
import { layoutPicture } from '../../../shared/timeline/picture/geometry';
import { type ExportInput, exportDates, exportExerciseMark, exportLang, filterText, timesInLine } from '../exportInput';
import { markedTitle } from '../exerciseMark';
import { drawExerciseBand } from './exerciseBand';
import { firstPass, jsonLines, pictureInputOf, readJsonLines } from '../firstPass';
import { drained } from '../sink';
import { registerPdfFonts } from './fonts';
import { PICTURE_FOOT, drawPicture } from './drawPicture';
import { useFastLayout } from './fastLayout';
import { type Line, LineBreaker } from './lineBreaker';

/** A4 landscape, in points. */
const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = { top: 36, bottom: 42, left: 36, right: 36 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const BODY_SIZE = 7.5;
const COLUMNS = [
  { key: 'serverTime', width: 60 },
  { key: 'eventTime', width: 70 },
  { key: 'author', width: 88 },
  { key: 'kind', width: 78 },
  { key: 'description', width: 0 },
  { key: 'record', width: 86 },
] as const;
const GAP = 6;
/** Rows between two emptyings of pdfkit's word layout caches (see trimLayoutCaches): ~30 MB of distinct words at most. */
const TRIM_EVERY_ROWS = 5_000;
/** PDF standard fonts (not embedded, WinAnsi): only for ASCII-only cells, see drawRow. */
const ASCII_SANS = 'Helvetica';
const ASCII_MONO = 'Courier';
/** Where the events start on a table page: below the column titles. */
const TABLE_TOP = MARGIN.top + 14;
const FIXED = COLUMNS.reduce((n, c) => n + c.width, 0) + GAP * (COLUMNS.length - 1);
const WIDTHS = COLUMNS.map((c) => (c.key === 'description' ? CONTENT_WIDTH - FIXED : c.width));
const XS = WIDTHS.reduce<number[]>((xs, w, i) => [...xs, i === 0 ? MARGIN.left : xs[i - 1]! + WIDTHS[i - 1]! + GAP], []);
const [X_TIME, X_DECLARED, X_AUTHOR, X_KIND, X_DESC, X_REF] = XS as [number, number, number, number, number, number];
const [, , W_AUTHOR, W_KIND, W_DESC] = WIDTHS as [number, number, number, number, number, number];

/**
 * The PDF export, drawn with pdfkit (no browser): a first page with what every export states
 * and the picture, then the events as a table, with on every page's footer the incident and the
 * journal head (a single printed page can be checked against the server), and a last line
 * giving the number of pages (a missing sheet shows). Streams out page by page.
 */
export async function writePdf(input: ExportInput, out: Writable): Promise<void> {
  const pass = await firstPass(input, jsonLines);
  try {
    const h = input.header;
    const lang = exportLang(h);
    const dates = exportDates(h);
    const w = words(lang);
    const L = w.exports;
    // An exercise's (issue 17): the mark in the document's title, a red band atop every page and in every footer.
    const mark = exportExerciseMark(h);
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margins: MARGIN,
      autoFirstPage: false,
      // pdfkit caches the glyph layout of every distinct word forever; ids and hashes make
      // 100,000s of them (1.5 GB for 100,000 events). See trimLayoutCaches for what we do instead.
      info: {
        Title: markedTitle(`${L.title} — ${h.incident.title}`, mark),
        Author: h.producedBy,
        Subject: markedTitle(`${h.incident.id} ${h.journal.headRef}`, mark),
        Keywords: 'crisis-cell timeline',
        Creator: h.generator,
        CreationDate: new Date(h.producedAt),
      },
    });
    registerPdfFonts(doc);
    useFastLayout(doc, ['sans', 'bold', 'mono']);
    doc.pipe(out);
    const written = finished(out);
    // Awaited at the end; until then a failure (the reader left) must not be an unhandled rejection.
    written.catch(() => undefined);

    let pages = 0;
    let inTable = false;
    let y = MARGIN.top;
    const shortTitle = h.incident.title.length > 60 ? `${h.incident.title.slice(0, 59)}…` : h.incident.title;
    doc.on('pageAdded', () => {
      pages += 1;
      pageMarks(doc, `${shortTitle} — ${h.incident.id} — ${L.headRef} ${h.journal.headRef} — ${L.page} ${pages}`, mark);
      y = MARGIN.top;
      if (inTable) y = tableHeader(doc, y, lang);
    });

    // First page: the facts, the verdict, the picture.
    doc.addPage();
    doc.font('bold').fontSize(15).text(`${markedTitle(L.title, mark)} — ${h.incident.title}`, MARGIN.left, y, { width: CONTENT_WIDTH });
    doc.font('sans').fontSize(8.5).fillColor('#37474f').text(timesInLine(h), MARGIN.left, doc.y + 2, { width: CONTENT_WIDTH });
    doc.fillColor('black');
    y = doc.y + 6;
    const facts = firstPageFacts(h, pass.trailer.eventCount);
    for (const [k, v] of facts) {
      doc.font('bold').fontSize(8).text(k, MARGIN.left, y, { width: 150, lineBreak: false });
      doc.font(/^[#0-9]/.test(v) && v.includes(':') ? 'mono' : 'sans').fontSize(8).text(v, MARGIN.left + 155, y, { width: CONTENT_WIDTH - 155 });
      y = Math.max(doc.y, y + 10) + 1;
    }
    y += 4;
    const t = pass.trailer;
    const verdict = t.integrity.intact ? L.integrityOk : `${L.integrityBroken}${w.common.colon} ${t.integrity.problems.map((p) => p.message).join(lang === 'fr' ? '\u202F; ' : '; ')}`;
    doc.font('bold').fontSize(8.5).fillColor(t.integrity.intact ? '#2e7d32' : '#c62828').text(verdict, MARGIN.left, y, { width: CONTENT_WIDTH });
    doc.fillColor('#546e7a').font('sans').fontSize(7).text(L.checkHowTo, MARGIN.left, doc.y + 2, { width: CONTENT_WIDTH });
    doc.fillColor('black');
    y = doc.y + 8;
    const layout = (laneHeight: number) => layoutPicture(pictureInputOf(h, pass), { width: CONTENT_WIDTH, laneHeight, labelWidth: 165 });
    let geometry = layout(22);
    // Keep the picture on the first page when tighter lanes make it fit; below 14 pt it goes over.
    for (let lane = 20; y + geometry.height + PICTURE_FOOT > BOTTOM && lane >= 14; lane -= 2) geometry = layout(lane);
    if (y + geometry.height + PICTURE_FOOT > BOTTOM) {
      geometry = layout(22);
      doc.addPage();
    }
    drawPicture(doc, geometry, MARGIN.left, y, lang);

    // The events.
    inTable = true;
    const breaker = new LineBreaker(doc);
    doc.addPage();
    let day = '';
    let rows = 0;
    let trimmedAt = 0;
    for await (const batch of readJsonLines(pass.spool)) {
      for (const e of batch) {
        const d = dates.day(e.at);
        if (d !== day) {
          day = d;
          if (y + 34 > BOTTOM) doc.addPage();
          doc.rect(MARGIN.left, y, CONTENT_WIDTH, 13).fill('#eceff1');
          doc.fillColor('black').font('bold').fontSize(8).text(d, MARGIN.left + 3, y + 3, { lineBreak: false });
          y += 15;
        }
        y = drawRow(doc, breaker, e, dates, lang, y, () => {
          doc.addPage();
          return y;
        });
        rows += 1;
      }
      input.onRender?.(rows, t.eventCount);
      if (rows - trimmedAt >= TRIM_EVERY_ROWS) {
        trimLayoutCaches(doc);
        trimmedAt = rows;
      }
      // Let a slow reader (an HTTP client) take what was written before drawing more; stop if it left.
      if (out.destroyed) throw new Error('output closed');
      if (out.writableNeedDrain) await drained(out);
    }
    if (y + 30 > BOTTOM) doc.addPage();
    doc.font('bold').fontSize(8).text(`${L.endOfDocument} — ${L.pages(pages)} — ${t.eventCount} ${L.events.toLowerCase()} — ${t.integrity.intact ? L.chainIntact : L.chainBroken}`, MARGIN.left, y + 8, { width: CONTENT_WIDTH });
    doc.end();
    await written;
  } finally {
    pass.spool.remove();
  }
}

/** What every page carries: an exercise's band (issue 17), and the footer (with the mark, if any). */
function pageMarks(doc: PDFKit.PDFDocument, footer: string, mark: string | null): void {
  if (mark) drawExerciseBand(doc, mark);
  // The footer sits in the bottom margin: lift the margin while drawing it, or pdfkit would start a new page.
  const page = doc.page;
  page.margins.bottom = 0;
  doc.font('sans').fontSize(6.5).fillColor('#546e7a');
  doc.text(`${mark ? `${mark} — ` : ''}${footer}`, MARGIN.left, PAGE.height - 26, { width: CONTENT_WIDTH, lineBreak: false });
  page.margins.bottom = MARGIN.bottom;
  doc.fillColor('black');
}

/** What the first page states, label and value, in the export's language. */
function firstPageFacts(h: ExportInput['header'], eventCount: number): Array<[string, string]> {
  const lang = exportLang(h);
  const dates = exportDates(h);
  const w = words(lang);
  const L = w.exports;
  return [
    [L.incident, `${h.incident.title} — ${h.incident.id} — ${L.severity.toLowerCase()} ${w.enums.severity[h.incident.severity]} — ${w.enums.incidentStatus[h.incident.status]}`],
    [L.range, `${dates.dateTime(h.range.from)} → ${dates.dateTime(h.range.to)}`],
    [L.producedAt, `${dates.dateTime(h.producedAt)} (${h.producedAt})`],
    [L.producedBy, h.producedBy],
    ...(h.audience === 'anonymised' ? [[L.audience, L.anonymised] as [string, string]] : []),
    [L.timeZone, dates.zone(h.producedAt)],
    ...(h.incident.detectedAt ? [[L.detection, dates.dateTime(h.incident.detectedAt)] as [string, string]] : []),
    ...h.deadlines.map((d) => [d.label, dates.dateTime(d.due)] as [string, string]),
    [L.filters, filterText(h.filter, h) || L.none],
    [L.events, String(eventCount)],
    [L.headRef, h.journal.headRef],
    ...h.journal.heads.map((x) => [`${L.heads} — ${x.part}`, `#${x.seq} ${x.hash}`] as [string, string]),
    ...h.journal.legacySealed.map((s) => [L.legacy, `${s.part} #1 → #${s.throughSeq}, ${dates.dateTime(s.sealedAt)}`] as [string, string]),
  ];
}

function tableHeader(doc: PDFKit.PDFDocument, y: number, lang: Lang): number {
  const L = words(lang).exports;
  doc.font('bold').fontSize(7).fillColor('#263238');
  COLUMNS.forEach((c, i) => doc.text(L[c.key], XS[i]!, y, { width: WIDTHS[i]!, lineBreak: false }));
  doc.moveTo(MARGIN.left, y + 11).lineTo(MARGIN.left + CONTENT_WIDTH, y + 11).lineWidth(0.6).stroke('#90a4ae');
  doc.fillColor('black');
  return y + 14;
}

/** Adds a page and returns the y where the table goes on. */
type NewPage = () => number;

/** Draws one event: the cells side by side, the description breaking over pages if it must. Returns the y after it. */
function drawRow(doc: PDFKit.PDFDocument, lines: LineBreaker, e: TimelineEvent, dates: DateFormatter, lang: Lang, y: number, newPage: NewPage): number {
  const summary = lines.lines(describeEvent(e, lang, dates.timeZone), 'bold', BODY_SIZE, W_DESC);
  const bodyText = eventText(e);
  const body = bodyText ? lines.lines(bodyText, 'sans', BODY_SIZE, W_DESC) : [];
  const author = lines.lines(authorLabel(e), 'sans', BODY_SIZE, W_AUTHOR);
  const kind = lines.lines(kindLabel(e.kind, lang), 'sans', BODY_SIZE, W_KIND);
  const lh = doc.currentLineHeight(true);
  const descHeight = (summary.length + body.length) * lh + (body.length > 0 ? 1 : 0);
  const height = Math.max(descHeight, author.length * lh, kind.length * lh, 18) + 4;
  // A row that fits a page is never split; a longer one starts on a fresh page and flows on.
  if (y + height > BOTTOM && (height <= BOTTOM - TABLE_TOP || y > TABLE_TOP + 1)) y = newPage();
  const top = y;
  doc.fillColor('black');
  // Times and record references are ASCII and nearly all distinct: drawn in the PDF's built-in
  // fonts, which need no glyph layout (laying out 400,000 distinct strings with the embedded
  // font is a quarter of a 100,000-event PDF's time). Everything people wrote stays in DejaVu.
  lines.drawShort(dates.time(e.at), ASCII_SANS, BODY_SIZE, X_TIME, top);
  if (e.eventAt) drawDate(lines, dates.dateTime(e.eventAt), X_DECLARED, top);
  doc.font('sans').fontSize(BODY_SIZE);
  author.forEach((l, i) => lines.draw(l, X_AUTHOR, top + i * lh));
  kind.forEach((l, i) => lines.draw(l, X_KIND, top + i * lh));
  if (e.ref) {
    doc.fillColor('#546e7a');
    lines.drawShort(`${e.ref.part}#${e.ref.seq}`, ASCII_MONO, 6.5, X_REF, top);
    lines.drawShort(e.ref.hash.slice(0, 16), ASCII_MONO, 6.5, X_REF, top + 8);
  }
  let cursor = top;
  const drawLines = (text: Line[], font: string, color: string) => {
    doc.font(font).fontSize(BODY_SIZE).fillColor(color);
    for (const l of text) {
      if (cursor + lh > BOTTOM) {
        cursor = newPage();
        doc.font(font).fontSize(BODY_SIZE).fillColor(color);
      }
      lines.draw(l, X_DESC, cursor);
      cursor += lh;
    }
  };
  drawLines(summary, 'bold', 'black');
  if (body.length > 0) {
    cursor += 1;
    drawLines(body, 'sans', '#37474f');
  }
  doc.fillColor('black');
  const bottom = cursor > top + height ? cursor : Math.max(cursor, top + height - 4);
  doc.moveTo(MARGIN.left, bottom + 2).lineTo(MARGIN.left + CONTENT_WIDTH, bottom + 2).lineWidth(0.3).stroke('#e0e4e8');
  return bottom + 4;
}

/** A date: ASCII ones (English months) in the built-in font, others (French accents: "déc.") in DejaVu. */
function drawDate(lines: LineBreaker, text: string, x: number, y: number): void {
  if (/^[\x20-\x7e]*$/.test(text)) lines.drawShort(text, ASCII_SANS, BODY_SIZE, x, y);
  else lines.drawShort(text, 'sans', BODY_SIZE, x, y);
}

/**
 * Empties pdfkit's per-font word layout caches. They make repeated words cheap (labels, names,
 * common words), but keep every distinct word ever laid out, and an event table is full of
 * distinct ids and hashes: emptied every few thousand rows, memory stays flat and the common
 * words are laid out again once per period. pdfkit has no public API for it: the fonts it registered are
 * in `_fontFamilies`, each with a `layoutCache` object; if that changes, this does nothing.
 */
export function trimLayoutCaches(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies;
  if (!families) return;
  for (const font of Object.values(families)) if (font.layoutCache && typeof font.layoutCache === 'object') font.layoutCache = Object.create(null);
}
