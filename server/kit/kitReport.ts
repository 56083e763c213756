import { lastPublished } from '../../shared/model/reportCadence';
import { REPORT_SECTIONS, type Report } from '../../shared/model/reports';
import { REPORT_WORDS } from '../reports/reportExport';
import type { KitReport } from './kitPdf';
import type { KitLanguage } from './kitLabels';

/** The latest published situation report as the paper kit prints it; null when none is published. */
export function kitReportOf(reports: readonly Report[], lang: KitLanguage): KitReport | null {
  const report = lastPublished(reports);
  if (!report || !report.publishedAt) return null;
  const headings = REPORT_WORDS[lang].sections;
  return {
    publishedAt: report.publishedAt,
    title: `${lang === 'fr' ? 'Point de situation n°' : 'Situation report no.'} ${report.number}`,
    sections: REPORT_SECTIONS.map((s) => ({ heading: headings[s], text: report.sections[s] })).filter((s) => s.text.trim() !== ''),
  };
}
