import type { ExportFormat } from '../../shared/timeline/exportDocument';
import type { ExportWriter } from './exportInput';
import { writeJson } from './writers/jsonWriter';
import { csvWriter } from './writers/csvWriter';
import { writeMarkdown } from './writers/markdownWriter';
import { writeHtml, writeSvg } from './writers/htmlWriter';
import { writePdf } from './pdf/pdfWriter';

export interface FormatSpec {
  contentType: string;
  extension: string;
  writer: ExportWriter;
}

export const FORMATS: Record<ExportFormat, FormatSpec> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json', writer: writeJson },
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', writer: csvWriter(';') },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md', writer: writeMarkdown },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html', writer: writeHtml },
  pdf: { contentType: 'application/pdf', extension: 'pdf', writer: writePdf },
  svg: { contentType: 'image/svg+xml; charset=utf-8', extension: 'svg', writer: writeSvg },
};

/** The CSV writer with the other delimiter (`,` for tools that expect RFC 4180 as is). */
export const CSV_COMMA: FormatSpec = { ...FORMATS.csv, writer: csvWriter(',') };

export function exportFileName(incidentId: string, producedAt: Date, extension: string): string {
  const stamp = producedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `incident-${incidentId}-timeline-${stamp}.${extension}`;
}
