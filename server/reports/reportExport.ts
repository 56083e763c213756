import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { IncidentMeta } from '../../shared/model/incident';
import { REPORT_SECTIONS, type Report } from '../../shared/model/reports';
import { type Lang, words } from '../../shared/i18n';
import { dateFormatter } from '../../shared/i18n/dates';
import { timesInLine } from '../export/exportInput';
import { registerPdfFonts } from '../export/pdf/fonts';
import { neutraliseStrings } from '../export/neutralise';
import { exerciseMarkOf, markedTitle } from '../export/exerciseMark';
import { drawExerciseBand } from '../export/pdf/exerciseBand';

export const REPORT_EXPORT_FORMATS = ['md', 'pdf', 'json'] as const;
export type ReportExportFormat = (typeof REPORT_EXPORT_FORMATS)[number];

/** Words of a printed report, in the reader's language, from the one table per language (shared/i18n). */
export function reportWords(lang: Lang) {
  const w = words(lang);
  return { ...w.reports.document, title: w.reports.reportTitle, sections: w.reports.sections, severities: w.enums.severity, page: w.exports.page, colon: w.common.colon };
}

export interface ReportExportInput {
  meta: IncidentMeta;
  report: Report;
  lang: Lang;
  timeZone: string;
  /** When the export is made: the zone's offset stated is the one of that moment. */
  producedAt?: Date;
}

function facts({ meta, report, lang, timeZone, producedAt }: ReportExportInput): Array<[string, string]> {
  const w = reportWords(lang);
  const local = dateFormatter(lang, timeZone);
  const at = (producedAt ?? new Date()).toISOString();
  return [
    [w.incident, `${meta.title} — ${w.severity.toLowerCase()} ${w.severities[meta.severity]}`],
    [w.period, `${local.dateTime(report.windowFrom)} → ${local.dateTime(report.windowTo)}`],
    ...(report.publishedAt ? [[w.publishedAt, `${local.dateTime(report.publishedAt)} (${report.publishedAt})`] as [string, string], [w.publishedBy, report.publishedBy ?? ''] as [string, string]] : [[w.createdBy, report.createdBy] as [string, string]]),
    ...(report.nextReportAt ? [[w.nextReport, local.dateTime(report.nextReportAt)] as [string, string]] : []),
    [words(lang).exports.timeZone, local.zone(at)],
  ];
}

/** "Times in Europe/Paris (UTC+01:00)": the zone every time of the report is in. */
function timesIn(input: ReportExportInput): string {
  return timesInLine({ lang: input.lang, timeZone: input.timeZone, producedAt: (input.producedAt ?? new Date()).toISOString() });
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
  const w = reportWords(input.lang);
  const r = input.report;
  // An exercise's report (issue 17): the mark above and below, in the title and in every section's heading.
  const mark = exerciseMarkOf(input.meta, input.lang);
  const banner = mark ? [`> **${mark}**`, ''] : [];
  const out: string[] = [...banner, `# ${markedTitle(w.title(r.number), mark)} — ${mdEscape(input.meta.title)}`, '', `*${timesIn(input)}*`, ''];
  if (r.status === 'draft') out.push(`> **${w.draft}**`, '');
  for (const [label, value] of facts(input)) out.push(`- **${label}**${w.colon} ${mdEscape(value)}`);
  out.push('');
  for (const s of REPORT_SECTIONS) {
    out.push(`## ${w.sections[s]}${mark ? ` — ${mark}` : ''}`, '');
    const text = r.sections[s].trim();
    out.push(text ? text.split('\n').map((l) => mdEscape(l) + '  ').join('\n') : `*${w.empty}*`, '');
  }
  if (r.status === 'published') out.push('---', '', `*${w.sealed}*`, '');
  out.push(...banner);
  return out.join('\n');
}

/** A4 portrait PDF with DejaVu embedded (accents, quotes and arrows of French texts); drafts say so on every page, and an exercise's reports carry its mark there. */
export async function writeReportPdf(raw: ReportExportInput, out: Writable): Promise<void> {
  const input = printable(raw);
  const w = reportWords(input.lang);
  const r = input.report;
  const mark = exerciseMarkOf(input.meta, input.lang);
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 50, right: 50 }, info: { Title: markedTitle(`${w.title(r.number)} — ${input.meta.title}`, mark), Author: r.publishedBy ?? r.createdBy, Subject: `${input.meta.id} ${r.id}` } });
  registerPdfFonts(doc);
  doc.pipe(out);
  const written = finished(out);
  written.catch(() => undefined);
  const width = doc.page.width - 100;
  let pages = 0;
  const footer = () => {
    pages += 1;
    const page = doc.page;
    if (mark) drawExerciseBand(doc, mark);
    page.margins.bottom = 0;
    doc.font('sans').fontSize(7).fillColor('#546e7a');
    doc.text(`${mark ? `${mark} — ` : ''}${w.title(r.number)} — ${input.meta.id} — ${r.id}${r.status === 'draft' ? ` — ${w.draft}` : ''} — ${w.page} ${pages}`, 50, page.height - 30, { width, lineBreak: false });
    page.margins.bottom = 50;
    doc.fillColor('black');
    doc.x = 50;
    doc.y = 50;
  };
  doc.on('pageAdded', footer);
  footer();
  doc.font('bold').fontSize(16).text(`${markedTitle(w.title(r.number), mark)} — ${input.meta.title}`, { width });
  if (r.status === 'draft') doc.moveDown(0.3).font('bold').fontSize(12).fillColor('#c62828').text(w.draft, { width }).fillColor('black');
  doc.moveDown(0.3).font('sans').fontSize(9).fillColor('#37474f').text(timesIn(input), { width }).fillColor('black');
  doc.moveDown(0.5);
  for (const [label, value] of facts(input)) {
    doc.font('bold').fontSize(9).text(`${label}${w.colon} `, { continued: true, width }).font('sans').text(value, { width });
  }
  for (const s of REPORT_SECTIONS) {
    doc.moveDown(0.8).font('bold').fontSize(12).text(w.sections[s], { width });
    doc.moveDown(0.2).font('sans').fontSize(9.5).text(r.sections[s].trim() || w.empty, { width });
  }
  if (r.status === 'published') doc.moveDown(1).font('sans').fontSize(8).fillColor('#546e7a').text(w.sealed, { width });
  doc.end();
  await written;
}
