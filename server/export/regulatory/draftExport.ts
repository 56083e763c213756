import PDFDocument from 'pdfkit';
import { DRAFT_FIELDS } from '../../../shared/model/regulatory';
import { REGULATORY_WORDS } from '../../../shared/model/regulatoryLabels';
import { utcText } from '../../../shared/model/regulatoryPrefill';
import { EXPORT_LABELS } from '../../../shared/timeline/labels';
import type { IncidentMeta } from '../../../shared/model/incident';
import type { DraftView } from '../../../shared/timeline/deadlines';
import { mdEscape } from '../writers/markdownWriter';
import { neutraliseStrings } from '../neutralise';
import { PDF_FONTS } from '../pdf/fonts';

const W = REGULATORY_WORDS.fr;

export interface DraftDocumentInput {
  view: DraftView;
  meta: IncidentMeta;
  headRef: string;
  producedAt: Date;
  producedBy: string;
}

interface Section {
  label: string;
  text: string;
  missing: boolean;
}

/** What both formats print, in order: facts in a header, then one section per field of the kind. */
function documentOf({ view, meta, headRef, producedAt, producedBy }: DraftDocumentInput): { title: string; facts: Array<[string, string]>; sections: Section[]; missingLine: string } {
  const { draft, deadline, missing } = view;
  const status =
    draft.status === 'sent'
      ? `envoyée le ${utcText(draft.sentAt!)} via ${draft.sentVia ?? '?'}${draft.reference ? `, réf. ${draft.reference}` : ''}, par ${draft.sentBy ?? '?'}`
      : 'brouillon (non envoyé)';
  let due: string;
  if (!deadline) due = draft.kind === 'cnil_complementary' ? 'pas d’échéance fixe : compléter la notification initiale sans retard indu (RGPD art. 33(4))' : 'non calculable (heure de départ inconnue)';
  else if (deadline.immediate) due = `sans délai — dû dès le ${utcText(deadline.due)} (${deadline.basis})`;
  else {
    const late = Date.parse(draft.sentAt ?? producedAt.toISOString()) > Date.parse(deadline.due);
    due = `${deadline.label} : au plus tard le ${utcText(deadline.due)}${deadline.estimated ? ' (estimée)' : ''}${late ? ' — DÉPASSÉE' : ''} — ${deadline.basis}`;
  }
  const missingLine = missing.length === 0 ? 'complet : toutes les mentions obligatoires sont renseignées' : `INCOMPLET — mentions obligatoires manquantes : ${missing.map((f) => W.fields[f]).join(' ; ')}`;
  const facts: Array<[string, string]> = [
    [EXPORT_LABELS.incident, `${meta.title} (${meta.id})`],
    ['Statut', status],
    ['Échéance', due],
    ...(meta.breachAwareAt ? [['Prise de connaissance de la violation', utcText(meta.breachAwareAt)] as [string, string]] : []),
    ...(meta.nis2AwareAt ? [['Prise de connaissance (NIS2)', utcText(meta.nis2AwareAt)] as [string, string]] : []),
    ...(meta.detectedAt ? [[EXPORT_LABELS.detection, utcText(meta.detectedAt)] as [string, string]] : []),
    ['Complétude', missingLine],
    ['Brouillon', `${draft.id}, créé le ${utcText(draft.createdAt)} par ${draft.createdBy}`],
    [EXPORT_LABELS.headRef, headRef],
    [EXPORT_LABELS.producedAt, `${utcText(producedAt.toISOString())} — ${producedBy}`],
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
  return { title: W.kinds[draft.kind], facts, sections, missingLine };
}

export function draftMarkdown(input: DraftDocumentInput): string {
  const d = neutraliseStrings(documentOf(input));
  const lines = [`# ${mdEscape(d.title)}`, '', ...d.facts.map(([k, v]) => `- **${mdEscape(k)}** : ${mdEscape(v)}`), ''];
  for (const s of d.sections) {
    lines.push(`## ${mdEscape(s.label)}${s.missing ? ' — MANQUANT' : ''}`, '');
    lines.push(s.text.trim() ? s.text.split('\n').map((l) => (l.trim() ? mdEscape(l) : '')).join('  \n') : '*(non renseigné)*', '');
  }
  lines.push('---', '', `*${EXPORT_LABELS.endOfDocument} — ${EXPORT_LABELS.headRef} : ${input.headRef}*`, '');
  return lines.join('\n');
}

/** A4 portrait, DejaVu embedded (names and French text), every page footed with the journal head. */
export function draftPdf(input: DraftDocumentInput): Promise<Buffer> {
  const d = neutraliseStrings(documentOf(input));
  const doc = new PDFDocument({ size: 'A4', margins: { top: 48, bottom: 56, left: 52, right: 52 }, bufferPages: true, info: { Title: d.title, Producer: 'crisis-cell' } });
  doc.registerFont('sans', PDF_FONTS.sans);
  doc.registerFont('bold', PDF_FONTS.bold);
  doc.registerFont('mono', PDF_FONTS.mono);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('bold').fontSize(16).text(d.title);
  doc.moveDown(0.6);
  for (const [k, v] of d.facts) {
    doc.font('bold').fontSize(9).text(`${k} : `, { continued: true });
    doc.font(k === EXPORT_LABELS.headRef ? 'mono' : 'sans').text(v);
  }
  for (const s of d.sections) {
    doc.moveDown(0.8);
    doc.font('bold').fontSize(11).fillColor(s.missing ? '#b71c1c' : 'black').text(`${s.label}${s.missing ? ' — MANQUANT' : ''}`);
    doc.fillColor('black').font('sans').fontSize(10).text(s.text.trim() || '(non renseigné)');
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('sans').fontSize(7).fillColor('#555').text(`${d.title} — ${EXPORT_LABELS.headRef} ${input.headRef} — ${EXPORT_LABELS.page} ${i + 1}/${range.count}`, 52, doc.page.height - 36, { width: doc.page.width - 104, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
