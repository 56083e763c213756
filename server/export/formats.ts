import type { ExportFormat } from '../../shared/timeline/exportDocument';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { ExportInput, ExportWriter } from './exportInput';
import { neutraliseStrings } from './neutralise';
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

async function* neutralisedBatches(events: AsyncIterable<TimelineEvent[]>): AsyncIterable<TimelineEvent[]> {
  for await (const batch of events) yield batch.map((e) => neutraliseStrings(e));
}

/**
 * A writer for people's eyes (every format but JSON) gets every text of its input, header,
 * events and trailer, through the one neutralising function (server/export/neutralise.ts):
 * no writer can forget a field. JSON keeps the data and escapes the controls as it writes.
 */
function neutralised(writer: ExportWriter): ExportWriter {
  return (input: ExportInput, out) => writer({ ...input, header: neutraliseStrings(input.header), events: neutralisedBatches(input.events), trailer: () => neutraliseStrings(input.trailer()) }, out);
}

export const FORMATS: Record<ExportFormat, FormatSpec> = {
  json: { contentType: 'application/json; charset=utf-8', extension: 'json', writer: writeJson },
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', writer: neutralised(csvWriter(';')) },
  md: { contentType: 'text/markdown; charset=utf-8', extension: 'md', writer: neutralised(writeMarkdown) },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html', writer: neutralised(writeHtml) },
  pdf: { contentType: 'application/pdf', extension: 'pdf', writer: neutralised(writePdf) },
  svg: { contentType: 'image/svg+xml; charset=utf-8', extension: 'svg', writer: neutralised(writeSvg) },
};

/** The CSV writer with the other delimiter (`,` for tools that expect RFC 4180 as is). */
export const CSV_COMMA: FormatSpec = { ...FORMATS.csv, writer: neutralised(csvWriter(',')) };

export function exportFileName(incidentId: string, producedAt: Date, extension: string): string {
  const stamp = producedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `incident-${incidentId}-timeline-${stamp}.${extension}`;
}
