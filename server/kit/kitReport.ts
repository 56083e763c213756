import { lastPublished } from '../../shared/model/reportCadence';
import { REPORT_SECTIONS, type Report } from '../../shared/model/reports';
import { words } from '../../shared/i18n';
import type { KitReport } from './kitPdf';
import type { KitLanguage } from './kitLabels';

/** The latest published situation report as the paper kit prints it; null when none is published. */
export function kitReportOf(reports: readonly Report[], lang: KitLanguage): KitReport | null {
  const report = lastPublished(reports);
  if (!report || !report.publishedAt) return null;
  const w = words(lang).reports;
  const headings = w.sections;
  return {
    publishedAt: report.publishedAt,
    title: w.reportTitle(report.number),
    sections: REPORT_SECTIONS.map((s) => ({ heading: headings[s], text: report.sections[s] })).filter((s) => s.text.trim() !== ''),
  };
}
