import type { Writable } from 'node:stream';
import type { TimelineEvent } from '../../../shared/timeline/events';
import { describeEvent, eventText, kindLabel } from '../../../shared/timeline/describe';
import { authorLabel } from '../../../shared/timeline/authorLabel';
import { type Lang, words } from '../../../shared/i18n';
import type { DateFormatter } from '../../../shared/i18n/dates';
import { layoutPicture } from '../../../shared/timeline/picture/geometry';
import { escapeXml, markPoints, pictureLegend, renderSvg } from '../../../shared/timeline/picture/svg';
import type { ExportTrailer } from '../../../shared/timeline/exportDocument';
import { type ExportInput, exportDates, exportExerciseMark, exportLang, filterText, timesInLine } from '../exportInput';
import { markedTitle } from '../exerciseMark';
import { firstPass, pictureInputOf } from '../firstPass';
import { Sink } from '../sink';

const esc = escapeXml;

/** Screen and print in one stylesheet: A4 landscape, table header repeated, rows never split. */
const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 12px; color: #1c2329; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 15px; margin: 22px 0 8px; border-bottom: 1px solid #b0bec5; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
code, .mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 11px; word-break: break-all; }
.integrity { margin: 12px 0; padding: 8px 10px; border-left: 4px solid #2e7d32; background: #e8f5e9; }
.integrity.broken { border-color: #c62828; background: #ffebee; font-weight: bold; }
.picture > svg { width: 100%; height: auto; border: 1px solid #cfd8dc; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 11px; }
ul.legend svg { vertical-align: middle; }
table.events { width: 100%; border-collapse: collapse; }
table.events th, table.events td { border-bottom: 1px solid #e0e4e8; padding: 4px 6px; vertical-align: top; text-align: left; }
table.events thead th { background: #eceff1; }
table.events tr.day th { background: #fafafa; font-size: 13px; padding-top: 10px; }
td.time { white-space: nowrap; }
td.ref { font-size: 10px; color: #546e7a; }
.txt { white-space: pre-wrap; margin-top: 2px; color: #37474f; }
tr.key td { background: #fff8e1; }
tr.alert td:first-child { border-left: 3px solid #c62828; }
tr.decision td:first-child { border-left: 3px solid #2e7d32; }
footer { margin-top: 24px; font-size: 11px; color: #546e7a; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; font-size: 10px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, .integrity, .picture { break-inside: avoid; }
  section.events { break-before: page; }
}
`;

/**
 * An exercise's mark (issue 17): a red band at the top and the bottom on screen; on paper a band
 * fixed at the top of every printed page, over the events table's first header row (repeated on
 * every page, and itself the mark) so it never hides an event.
 */
const EXERCISE_CSS = `
.exercise-mark { background: #c62828; color: #fff; font-weight: bold; font-size: 14px; letter-spacing: 0.04em; text-align: center; padding: 6px 8px; margin: 0 0 12px; }
.exercise-mark.bottom { margin: 16px 0 0; }
table.events thead tr.exercise-row th { background: #c62828; color: #fff; text-align: center; }
@media print {
  body.exercise, body.exercise section.picture, body.exercise section.events { padding-top: 9mm; }
  .exercise-mark.top { position: fixed; top: 0; left: 0; right: 0; height: 7mm; line-height: 7mm; padding: 0; margin: 0; font-size: 11px; z-index: 10; }
  table.events thead tr.exercise-row th { height: 7mm; padding: 0; }
}
`;

function legendItem(shape: ReturnType<typeof pictureLegend>[number]): string {
  const icon = shape.shape === 'circle' ? `<circle cx="7" cy="7" r="4" fill="${shape.color}"/>` : `<polygon points="${markPoints(shape.shape, 7, 7, 5).map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="${shape.color}"/>`;
  return `<li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">${icon}</svg> ${esc(shape.label)}</li>`;
}

function integrityBlock(t: ExportTrailer, lang: Lang): string {
  const L = words(lang).exports;
  if (t.integrity.intact) return `<p class="integrity">${esc(L.integrityOk)}</p>`;
  return `<div class="integrity broken">${esc(L.integrityBroken)}<ul>${t.integrity.problems.map((p) => `<li>${esc(p.message)}</li>`).join('')}</ul></div>`;
}

function rowClass(e: TimelineEvent): string {
  if (e.kind === 'log.entry' || e.kind === 'log.amendment') return [e.data.key ? 'key' : '', e.data.category === 'alert' ? 'alert' : ''].join(' ').trim();
  return e.kind.startsWith('decision.') ? 'decision' : '';
}

function row(e: TimelineEvent, dates: DateFormatter, lang: Lang): string {
  const body = eventText(e);
  const ref = e.ref ? `<code>${e.ref.part}#${e.ref.seq}</code><br><code title="${e.ref.hash}">${e.ref.hash.slice(0, 16)}</code>` : '';
  return `<tr class="${rowClass(e)}"><td class="time">${dates.time(e.at)}</td><td class="time">${e.eventAt ? esc(dates.dateTime(e.eventAt)) : ''}</td><td>${esc(authorLabel(e))}</td><td>${esc(kindLabel(e.kind, lang))}</td><td><div>${esc(describeEvent(e, lang, dates.timeZone))}</div>${body ? `<div class="txt">${esc(body)}</div>` : ''}</td><td class="ref">${ref}</td></tr>\n`;
}

/**
 * A standalone, printable HTML file: no external asset (inline CSS, inline SVG picture, system
 * fonts), header with everything an export must state, the picture, then every event.
 */
export async function writeHtml(input: ExportInput, out: Writable): Promise<void> {
  const h = input.header;
  const lang = exportLang(h);
  const dates = exportDates(h);
  const w = words(lang);
  const L = w.exports;
  // The rows are rendered during the replay and parked; the header, verdict and picture go first.
  let day = '';
  const pass = await firstPass(input, (batch) => {
    let text = '';
    for (const e of batch) {
      const d = dates.day(e.at);
      if (d !== day) {
        day = d;
        text += `<tr class="day"><th colspan="6">${esc(d)}</th></tr>\n`;
      }
      text += row(e, dates, lang);
    }
    return text;
  });
  try {
    const sink = new Sink(out);
    const mark = exportExerciseMark(h);
    const banner = (where: 'top' | 'bottom') => (mark ? `<div class="exercise-mark ${where}" role="note">${esc(mark)}</div>\n` : '');
    const geometry = layoutPicture(pictureInputOf(h, pass), { width: 1100 });
    const facts: Array<[string, string]> = [
      [L.incident, `${esc(h.incident.title)} — <code>${h.incident.id}</code> — ${esc(L.severity.toLowerCase())} ${esc(w.enums.severity[h.incident.severity])} — ${esc(w.enums.incidentStatus[h.incident.status])}`],
      [L.range, `${esc(dates.dateTime(h.range.from))} → ${esc(dates.dateTime(h.range.to))}`],
      [L.producedAt, `${esc(dates.dateTime(h.producedAt))} <span class="mono">(${h.producedAt})</span>`],
      [L.producedBy, esc(h.producedBy)],
      ...(h.audience === 'anonymised' ? [[L.audience, esc(L.anonymised)] as [string, string]] : []),
      [L.timeZone, esc(dates.zone(h.producedAt))],
      ...(h.incident.detectedAt ? [[L.detection, esc(dates.dateTime(h.incident.detectedAt))] as [string, string]] : []),
      ...h.deadlines.map((d) => [d.label, `${esc(dates.dateTime(d.due))} — ${esc(d.basis)}`] as [string, string]),
      [L.filters, esc(filterText(h.filter, h) || L.none)],
      [L.events, String(pass.trailer.eventCount)],
      [L.headRef, `<code>${h.journal.headRef}</code>`],
      [L.heads, h.journal.heads.map((x) => `${x.part} #${x.seq} <code>${x.hash}</code>`).join('<br>')],
      ...h.journal.legacySealed.map((s) => [L.legacy, `${s.part} #1 → #${s.throughSeq}, ${esc(dates.dateTime(s.sealedAt))}`] as [string, string]),
    ];
    await sink.write(
      `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="${esc(h.generator)}">\n` +
        `<title>${esc(markedTitle(`${L.title} — ${h.incident.title}`, mark))}</title>\n<style>${CSS}${mark ? EXERCISE_CSS : ''}</style>\n</head>\n<body${mark ? ' class="exercise"' : ''}>\n${banner('top')}<header>\n<h1>${esc(markedTitle(L.title, mark))} — ${esc(h.incident.title)}</h1>\n<p class="zone">${esc(timesInLine(h))}</p>\n` +
        `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>\n${integrityBlock(pass.trailer, lang)}\n<p class="mono">${esc(L.checkHowTo)}</p>\n</header>\n` +
        `<section class="picture">\n<h2>${esc(L.picture)}</h2>\n${renderSvg(geometry, h.incident.title)}\n<ul class="legend">${pictureLegend(lang, geometry.lanes.some((l) => l.id === 'injects')).map(legendItem).join('')}</ul>\n</section>\n` +
        `<section class="events">\n<h2>${esc(L.events)} (${pass.trailer.eventCount})</h2>\n<table class="events">\n<thead>${mark ? `<tr class="exercise-row"><th colspan="6">${esc(mark)}</th></tr>` : ''}<tr><th>${esc(L.serverTime)}</th><th>${esc(L.eventTime)}</th><th>${esc(L.author)}</th><th>${esc(L.kind)}</th><th>${esc(L.description)}</th><th>${esc(L.record)}</th></tr></thead>\n<tbody>\n`,
    );
    await pass.spool.copyTo(sink);
    await sink.write(`</tbody>\n</table>\n</section>\n<footer>${esc(L.endOfDocument)} — ${esc(L.headRef)} <code>${h.journal.headRef}</code> — ${esc(h.generator)}</footer>\n${banner('bottom')}</body>\n</html>\n`);
    await sink.end();
  } finally {
    pass.spool.remove();
  }
}

const SVG_BAND = 22;

/** An exercise's picture: the picture below a red band with the mark (issue 17). */
function markedSvg(svg: string, width: number, height: number, mark: string): string {
  const total = (height + SVG_BAND).toFixed(1);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${total}" width="${width}" height="${total}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" role="img" aria-label="${esc(mark)}">` +
    `<rect x="0" y="0" width="${width}" height="${SVG_BAND}" fill="#c62828"/><text x="${width / 2}" y="15" text-anchor="middle" fill="#ffffff" font-size="12" font-weight="bold">${esc(mark)}</text>` +
    `${svg.replace(/^<svg /, `<svg x="0" y="${SVG_BAND}" `)}</svg>`
  );
}

/** The picture alone, as an SVG file (an exercise's under its mark). */
export async function writeSvg(input: ExportInput, out: Writable): Promise<void> {
  const pass = await firstPass(input, () => '');
  pass.spool.remove();
  const geometry = layoutPicture(pictureInputOf(input.header, pass), { width: 1100 });
  const mark = exportExerciseMark(input.header);
  const svg = renderSvg(geometry, markedTitle(input.header.incident.title, mark));
  const sink = new Sink(out);
  await sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n${mark ? markedSvg(svg, geometry.width, geometry.height, mark) : svg}\n`);
  await sink.end();
}
