import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { IncidentMeta } from '../../shared/model/incident';
import { REPORT_SECTIONS, type Report, type ReportSection } from '../../shared/model/reports';
import { SEVERITY_LABELS } from '../../shared/timeline/labels';
import { LocalTime } from '../export/exportInput';
import { PDF_FONTS } from '../export/pdf/fonts';
import { neutraliseStrings } from '../export/neutralise';

export const REPORT_EXPORT_FORMATS = ['md', 'pdf', 'json'] as const;
export type ReportExportFormat = (typeof REPORT_EXPORT_FORMATS)[number];

/** Words of a printed report: French and English (the reader picks with `lang`). */
export const REPORT_WORDS = {
  fr: {
    title: (n: number) => `Point de situation n° ${n}`,
    draft: 'BROUILLON — NON PUBLIÉ',
    incident: 'Incident',
    severity: 'gravité',
    period: 'Période couverte',
    publishedBy: 'Publié par',
    publishedAt: 'Publié le',
    createdBy: 'Rédaction ouverte par',
    nextReport: 'Prochain point',
    timeZone: 'Heures en',
    sealed: 'Document publié et scellé : il ne peut plus être modifié.',
    empty: '(vide)',
    page: 'Page',
    sections: { conditions: 'Situation', actionsInProgress: 'Actions en cours', actionsDone: 'Actions réalisées', decisions: 'Décisions prises', needs: 'Besoins' } satisfies Record<ReportSection, string>,
    severities: SEVERITY_LABELS,
  },
  en: {
    title: (n: number) => `Situation report #${n}`,
    draft: 'DRAFT — NOT PUBLISHED',
    incident: 'Incident',
    severity: 'severity',
    period: 'Period covered',
    publishedBy: 'Published by',
    publishedAt: 'Published at',
    createdBy: 'Drafting opened by',
    nextReport: 'Next report',
    timeZone: 'Times in',
    sealed: 'Published and sealed: it can no longer be changed.',
    empty: '(empty)',
    page: 'Page',
    sections: { conditions: 'Situation', actionsInProgress: 'Actions in progress', actionsDone: 'Actions completed', decisions: 'Decisions taken', needs: 'Needs' } satisfies Record<ReportSection, string>,
    severities: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
  },
} as const;

export interface ReportExportInput {
  meta: IncidentMeta;
  report: Report;
  lang: 'fr' | 'en';
  timeZone: string;
}

function facts({ meta, report, lang, timeZone }: ReportExportInput): Array<[string, string]> {
  const w = REPORT_WORDS[lang];
  const local = new LocalTime(timeZone);
  return [
    [w.incident, `${meta.title} — ${w.severity} ${w.severities[meta.severity]}`],
    [w.period, `${local.full(report.windowFrom)} → ${local.full(report.windowTo)}`],
    ...(report.publishedAt ? [[w.publishedAt, `${local.full(report.publishedAt)} (${report.publishedAt})`] as [string, string], [w.publishedBy, report.publishedBy ?? ''] as [string, string]] : [[w.createdBy, report.createdBy] as [string, string]]),
    ...(report.nextReportAt ? [[w.nextReport, local.full(report.nextReportAt)] as [string, string]] : []),
    [w.timeZone, timeZone],
  ];
}

function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

/** What a printed report shows of the typed texts: control characters neutralised (server/export/neutralise.ts). */
function printable(input: ReportExportInput): ReportExportInput {
  return { ...input, meta: neutraliseStrings(input.meta), report: neutraliseStrings(input.report) };
}

/** Markdown: a heading, the facts as a list, one section per heading; texts kept line by line. */
export function reportMarkdown(raw: ReportExportInput): string {
  const input = printable(raw);
  const w = REPORT_WORDS[input.lang];
  const r = input.report;
  const out: string[] = [`# ${w.title(r.number)} — ${mdEscape(input.meta.title)}`, ''];
  if (r.status === 'draft') out.push(`> **${w.draft}**`, '');
  for (const [label, value] of facts(input)) out.push(`- **${label}** : ${mdEscape(value)}`);
  out.push('');
  for (const s of REPORT_SECTIONS) {
    out.push(`## ${w.sections[s]}`, '');
    const text = r.sections[s].trim();
    out.push(text ? text.split('\n').map((l) => mdEscape(l) + '  ').join('\n') : `*${w.empty}*`, '');
  }
  if (r.status === 'published') out.push('---', '', `*${w.sealed}*`, '');
  return out.join('\n');
}

/** A4 portrait PDF with DejaVu embedded (accents, quotes and arrows of French texts); drafts say so on every page. */
export async function writeReportPdf(raw: ReportExportInput, out: Writable): Promise<void> {
  const input = printable(raw);
  const w = REPORT_WORDS[input.lang];
  const r = input.report;
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 50, right: 50 }, info: { Title: `${w.title(r.number)} — ${input.meta.title}`, Author: r.publishedBy ?? r.createdBy, Subject: `${input.meta.id} ${r.id}` } });
  doc.registerFont('sans', PDF_FONTS.sans);
  doc.registerFont('bold', PDF_FONTS.bold);
  doc.pipe(out);
  const written = finished(out);
  written.catch(() => undefined);
  const width = doc.page.width - 100;
  let pages = 0;
  const footer = () => {
    pages += 1;
    const page = doc.page;
    page.margins.bottom = 0;
    doc.font('sans').fontSize(7).fillColor('#546e7a');
    doc.text(`${w.title(r.number)} — ${input.meta.id} — ${r.id}${r.status === 'draft' ? ` — ${w.draft}` : ''} — ${w.page} ${pages}`, 50, page.height - 30, { width, lineBreak: false });
    page.margins.bottom = 50;
    doc.fillColor('black');
    doc.x = 50;
    doc.y = 50;
  };
  doc.on('pageAdded', footer);
  footer();
  doc.font('bold').fontSize(16).text(`${w.title(r.number)} — ${input.meta.title}`, { width });
  if (r.status === 'draft') doc.moveDown(0.3).font('bold').fontSize(12).fillColor('#c62828').text(w.draft, { width }).fillColor('black');
  doc.moveDown(0.5);
  for (const [label, value] of facts(input)) {
    doc.font('bold').fontSize(9).text(`${label} : `, { continued: true, width }).font('sans').text(value, { width });
  }
  for (const s of REPORT_SECTIONS) {
    doc.moveDown(0.8).font('bold').fontSize(12).text(w.sections[s], { width });
    doc.moveDown(0.2).font('sans').fontSize(9.5).text(r.sections[s].trim() || w.empty, { width });
  }
  if (r.status === 'published') doc.moveDown(1).font('sans').fontSize(8).fillColor('#546e7a').text(w.sealed, { width });
  doc.end();
  await written;
}
