import PDFDocument from 'pdfkit';
import { DRAFT_FIELDS } from '../../../shared/model/regulatory';
import { type Lang, words } from '../../../shared/i18n';
import { dateFormatter } from '../../../shared/i18n/dates';
import { timesInLine } from '../exportInput';
import type { IncidentMeta } from '../../../shared/model/incident';
import { type DraftView, lateAfter } from '../../../shared/timeline/deadlines';
import { exerciseTimeText } from '../../../shared/exercise/exerciseTime';
import { mdEscape } from '../writers/markdownWriter';
import { neutraliseStrings } from '../neutralise';
import { pdfBuffer, registerPdfFonts } from '../pdf/fonts';
import { drawExerciseBand } from '../pdf/exerciseBand';
import { exerciseMarkOf, markedTitle } from '../exerciseMark';

export interface DraftDocumentInput {
  view: DraftView;
  meta: IncidentMeta;
  headRef: string;
  producedAt: Date;
  producedBy: string;
  /** The reader's language and time zone (every time printed is in it, and the document says which). */
  lang: Lang;
  timeZone: string;
}

interface Section {
  label: string;
  text: string;
  missing: boolean;
}

/** What both formats print, in order: facts in a header, then one section per field of the kind. */
function documentOf({ view, meta, headRef, producedAt, producedBy, lang, timeZone }: DraftDocumentInput): { title: string; mark: string | null; facts: Array<[string, string]>; sections: Section[]; missingLine: string; timesIn: string } {
  const { draft, deadline, missing } = view;
  const w = words(lang);
  const W = w.regulatory;
  const doc = W.document;
  const at = (iso: string) => dateFormatter(lang, timeZone).dateTime(iso);
  const status = draft.status === 'sent' ? doc.sent(at(draft.sentAt!), draft.sentVia ?? '?', draft.reference, draft.sentBy ?? '?') : doc.notSent;
  let due: string;
  if (!deadline) due = draft.kind === 'cnil_complementary' ? doc.noFixedDue : doc.noStart;
  else {
    // The clock's words in the reader's language (the service computed them in French).
    const rule = W.deadlines[deadline.id];
    const basis = deadline.estimated ? `${rule.basis} ${deadline.id === 'nis2-final' ? W.estimatedFromDeadline : W.estimatedFromDetection}` : rule.basis;
    // An exercise's clock counts on the exercise clock: its deadline is an exercise time, not a day and hour.
    const dueText = deadline.exercise ? `${exerciseTimeText(deadline.exercise.dueSeconds * 1000)} (${W.exerciseClock})` : at(deadline.due);
    if (deadline.immediate) due = doc.immediate(rule.label, dueText, basis);
    else {
      const lateFrom = lateAfter(deadline);
      const late = lateFrom !== null && Date.parse(draft.sentAt ?? producedAt.toISOString()) > Date.parse(lateFrom);
      due = `${doc.dueBy(rule.label, dueText)}${deadline.estimated ? doc.estimated : ''}${late ? doc.overdue : ''} — ${basis}`;
    }
  }
  const missingLine = missing.length === 0 ? doc.complete : doc.incomplete(missing.map((f) => W.fields[f]).join(lang === 'fr' ? '\u202F; ' : '; '));
  const L = w.exports;
  const facts: Array<[string, string]> = [
    [L.incident, `${meta.title} (${meta.id})`],
    [doc.status, status],
    [doc.due, due],
    ...(meta.breachAwareAt ? [[doc.breachAwareAt, at(meta.breachAwareAt)] as [string, string]] : []),
    ...(meta.nis2AwareAt ? [[doc.nis2AwareAt, at(meta.nis2AwareAt)] as [string, string]] : []),
    ...(meta.detectedAt ? [[L.detection, at(meta.detectedAt)] as [string, string]] : []),
    [doc.completeness, missingLine],
    [doc.draft, doc.created(draft.id, at(draft.createdAt), draft.createdBy)],
    [L.headRef, headRef],
    [L.producedAt, `${at(producedAt.toISOString())} — ${producedBy}`],
  ];
  const required = new Set<string>(DRAFT_FIELDS[draft.kind].required);
  const sections: Section[] = [];
  if (draft.kind === 'cnil_complementary') sections.push({ label: W.fields.complements, text: draft.complements ?? '', missing: missing.includes('complements') });
  for (const field of DRAFT_FIELDS[draft.kind].fields) {
    const text = draft[field];
    const needed = required.has(field) || missing.includes(field);
    if (!text.trim() && !needed) continue;
    sections.push({ label: W.fields[field], text, missing: missing.includes(field) });
  }
  const timesIn = timesInLine({ lang, timeZone, producedAt: producedAt.toISOString() });
  // An exercise's draft (issue 17) says so in its title, so no one sends it for real.
  const mark = exerciseMarkOf(meta, lang);
  return { title: markedTitle(W.kinds[draft.kind], mark), mark, facts, sections, missingLine, timesIn };
}

export function draftMarkdown(input: DraftDocumentInput): string {
  const d = neutraliseStrings(documentOf(input));
  const w = words(input.lang);
  const colon = w.common.colon;
  const doc = w.regulatory.document;
  const banner = d.mark ? [`> **${mdEscape(d.mark)}**`, ''] : [];
  const lines = [...banner, `# ${mdEscape(d.title)}`, '', `*${mdEscape(d.timesIn)}*`, '', ...d.facts.map(([k, v]) => `- **${mdEscape(k)}**${colon} ${mdEscape(v)}`), ''];
  for (const s of d.sections) {
    lines.push(`## ${mdEscape(s.label)}${s.missing ? doc.missing : ''}`, '');
    lines.push(s.text.trim() ? s.text.split('\n').map((l) => (l.trim() ? mdEscape(l) : '')).join('  \n') : `*${doc.empty}*`, '');
  }
  lines.push('---', '', `*${w.exports.endOfDocument} — ${w.exports.headRef}${colon} ${input.headRef}*`, '', ...banner);
  return lines.join('\n');
}

/** A4 portrait, DejaVu embedded (names and French text), every page footed with the journal head (and an exercise's banded with its mark). */
export function draftPdf(input: DraftDocumentInput): Promise<Buffer> {
  const d = neutraliseStrings(documentOf(input));
  const doc = new PDFDocument({ size: 'A4', margins: { top: 48, bottom: 56, left: 52, right: 52 }, bufferPages: true, info: { Title: d.title, ...(d.mark ? { Subject: d.mark } : {}), Producer: 'crisis-cell' } });
  registerPdfFonts(doc);
  const done = pdfBuffer(doc);
  const w = words(input.lang);
  doc.font('bold').fontSize(16).text(d.title);
  doc.font('sans').fontSize(9).fillColor('#37474f').text(d.timesIn).fillColor('black');
  doc.moveDown(0.6);
  for (const [k, v] of d.facts) {
    doc.font('bold').fontSize(9).text(`${k}${w.common.colon} `, { continued: true });
    doc.font(k === w.exports.headRef ? 'mono' : 'sans').text(v);
  }
  for (const s of d.sections) {
    doc.moveDown(0.8);
    doc.font('bold').fontSize(11).fillColor(s.missing ? '#b71c1c' : 'black').text(`${s.label}${s.missing ? w.regulatory.document.missing : ''}`);
    doc.fillColor('black').font('sans').fontSize(10).text(s.text.trim() || w.regulatory.document.empty);
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (d.mark) drawExerciseBand(doc, d.mark);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('sans').fontSize(7).fillColor('#555').text(`${d.title} — ${w.exports.headRef} ${input.headRef} — ${w.exports.page} ${i + 1}/${range.count}`, 52, doc.page.height - 36, { width: doc.page.width - 104, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
