import PDFDocument from 'pdfkit';
import { type Debrief, type DebriefInject, type DebriefObservation, delayText, exerciseClockText } from '../../../shared/exercise/debrief';
import { layoutDebriefPicture } from '../../../shared/exercise/debriefPicture';
import { words } from '../../../shared/i18n';
import { type DateFormatter, dateFormatter } from '../../../shared/i18n/dates';
import { pdfBuffer, registerPdfFonts } from '../../export/pdf/fonts';
import { drawDebriefPicture } from './drawDebriefPicture';
import { drawExerciseBand } from '../../export/pdf/exerciseBand';

const MARGIN = { top: 40, bottom: 44, left: 44, right: 44 };
const BODY = 9;

type Doc = PDFKit.PDFDocument;

const when = (at: string, seconds: number | null, dates: DateFormatter) => `${seconds === null ? '' : `${exerciseClockText(seconds)} — `}${dates.dateTime(at)}`;

function fact(doc: Doc, label: string, value: string, colon: string): void {
  doc.font('bold').fontSize(BODY).fillColor('black').text(`${label}${colon} `, { continued: true });
  doc.font('sans').text(value);
}

function heading(doc: Doc, text: string, size: number): void {
  // A heading never ends a page alone.
  if (doc.y > doc.page.height - MARGIN.bottom - 90) doc.addPage();
  doc.moveDown(0.6);
  doc.font('bold').fontSize(size).fillColor('black').text(text);
  doc.moveDown(0.2);
}

function observation(doc: Doc, o: DebriefObservation, dates: DateFormatter, colon: string): void {
  doc.font('bold').fontSize(BODY).fillColor('#37474f').text(`${exerciseClockText(o.exerciseSeconds)} (${dates.dateTime(o.at)}) — ${o.author}${colon} `, { continued: true });
  doc.font('sans').text(o.text);
}

function injectBlock(doc: Doc, d: Debrief, i: DebriefInject, dates: DateFormatter): void {
  const w = words(d.lang).debrief;
  const colon = words(d.lang).common.colon;
  heading(doc, `${exerciseClockText(i.firedAtExerciseSeconds ?? i.offsetSeconds)} — ${i.id} (${w.status[i.status]}${i.improvised ? `, ${w.improvised}` : ''})`, 10.5);
  fact(doc, w.offset, exerciseClockText(i.offsetSeconds), colon);
  fact(doc, w.firedAt, i.firedAt ? when(i.firedAt, i.firedAtExerciseSeconds, dates) : w.notFired, colon);
  fact(doc, w.channel, `${w.channels[i.channel]} — ${w.from}${colon} ${i.from} — ${w.to}${colon} ${i.to ? (i.toLabel ?? i.to) : w.wholeCell}`, colon);
  fact(doc, w.text, i.text, colon);
  fact(doc, w.expected, i.expected || '—', colon);
  const r = i.reaction;
  if (r) {
    const delay = w.delay(r.delayExerciseSeconds === null ? '—' : delayText(r.delayExerciseSeconds), delayText(r.delaySeconds));
    doc.font('bold').fontSize(BODY).fillColor('#1565c0').text(`${w.firstReaction}${colon} ${w.reactionBy(w.reactionKind[r.kind], r.author)}, ${when(r.at, r.exerciseSeconds, dates)}, ${delay}`);
    doc.font('sans').fillColor('black').text(r.text, { indent: 10 });
  } else if (i.status === 'fired') {
    doc.font('bold').fontSize(BODY).fillColor('#c62828').text(`${w.firstReaction}${colon} ${w.noReaction}`);
  }
  if (i.observations.length > 0) {
    doc.font('bold').fontSize(BODY).fillColor('black').text(`${w.observations}${colon}`);
    for (const o of i.observations) observation(doc, o, dates, colon);
  }
  doc.fillColor('black');
}

/**
 * The debrief as a PDF (A4 portrait, DejaVu embedded): the facts, the swimlanes picture, each
 * inject with its first reaction, the observations, decisions and reports. Every page carries
 * the exercise band (server/export/pdf/exerciseBand.ts), and the mark again in its footer with
 * "page n of N", drawn once the pages are laid out.
 */
export function debriefPdf(d: Debrief): Promise<Buffer> {
  const w = words(d.lang).debrief;
  const mark = words(d.lang).exerciseMark.mark;
  const colon = words(d.lang).common.colon;
  const dates = dateFormatter(d.lang, d.timeZone);
  const doc = new PDFDocument({ size: 'A4', margins: MARGIN, bufferPages: true, info: { Title: `${mark} — ${w.title} — ${d.incident.title}`, Subject: `${d.incident.id} ${d.journalHeadRef}`, Producer: 'crisis-cell' } });
  registerPdfFonts(doc);
  const done = pdfBuffer(doc);
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  doc.font('bold').fontSize(15).text(`${w.title} — ${d.incident.title}`);
  doc.moveDown(0.4);
  fact(doc, w.scenario, `${d.scenarioId} (${w.exerciseLanguage} ${d.exerciseLanguage})`, colon);
  fact(doc, w.startedAt, `${d.clock.startedAt ? dates.dateTime(d.clock.startedAt) : w.notStarted} — ${w.speed} ×${d.clock.factor} — ${w.plannedDuration} ${delayText(d.clock.durationMinutes * 60)}`, colon);
  fact(doc, w.exerciseTimeNow, exerciseClockText(d.clock.exerciseSeconds), colon);
  fact(doc, w.producedAt, `${dates.dateTime(d.producedAt)} — ${w.producedBy} ${d.producedBy}`, colon);
  fact(doc, w.audience, d.audience === 'anonymised' ? w.anonymised : w.nominative, colon);
  fact(doc, w.journalHead, d.journalHeadRef, colon);
  heading(doc, w.picture, 12);
  const picture = layoutDebriefPicture(d, d.lang, { width, laneHeight: 24, labelWidth: 90 });
  if (doc.y + picture.height > doc.page.height - MARGIN.bottom) doc.addPage();
  const top = doc.y;
  drawDebriefPicture(doc, picture, MARGIN.left, top);
  doc.x = MARGIN.left;
  doc.y = top + picture.height + 6;
  heading(doc, w.injects, 12);
  for (const i of d.injects) injectBlock(doc, d, i, dates);
  heading(doc, w.generalObservations, 12);
  if (d.observations.length === 0) doc.font('sans').fontSize(BODY).text(w.none);
  for (const o of d.observations) observation(doc, o, dates, colon);
  heading(doc, w.decisions, 12);
  if (d.decisions.length === 0) doc.font('sans').fontSize(BODY).text(w.none);
  for (const x of d.decisions) fact(doc, `${when(x.at, x.exerciseSeconds, dates)} — ${x.title} (${words(d.lang).enums.decision[x.status]}) — ${x.author}`, x.statement || '—', colon);
  heading(doc, w.reports, 12);
  if (d.reports.length === 0) doc.font('sans').fontSize(BODY).text(w.none);
  for (const r of d.reports) fact(doc, `${when(r.at, r.exerciseSeconds, dates)} — ${w.reportNumber(r.number)} — ${r.publishedBy}`, r.conditions || '—', colon);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    drawExerciseBand(doc, mark);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('sans').fontSize(6).fillColor('#555').text(`${mark} — ${w.pageOf(i + 1, range.count)} — ${d.incident.id} — ${d.journalHeadRef}`, MARGIN.left, doc.page.height - 28, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
