import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ReportDraftQuerySchema } from '../../../../shared/model/reportDraft';
import type { DocumentStore } from '../../../storage/documentStore';
import type { IncidentService } from '../../../incidents/incidentService';
import { computeDraft } from '../../../reports/draftReport';
import { REPORT_EXPORT_FORMATS, reportMarkdown, writeReportPdf } from '../../../reports/reportExport';
import type { Logger } from '../../../logger';
import { AppError } from '../../../errors';
import { escapeJsonControls } from '../../../export/neutralise';
import { withExerciseMark } from '../../../export/exerciseMark';
import { parseParam, parseQuery } from '../parse';
import { ReaderQuerySchema, TimeZoneSchema, readerLocale } from '../../../export/readerLocale';
import { LangSchema } from '../../../../shared/i18n/lang';

/** JSON with the same data as res.json, controls and bidirectional overrides written as \u escapes (server/export/neutralise.ts). */
function sendJson(res: Response, value: unknown): void {
  res.type('application/json; charset=utf-8').send(escapeJsonControls(JSON.stringify(value)));
}

export interface ReportRoutesDeps {
  store: DocumentStore;
  incidents: IncidentService;
  logger: Logger;
  /** Throws (FORBIDDEN…) unless the caller may `read` the incident, or `write` in it (drafts). */
  authorize: (req: Request, res: Response, incidentId: string, action: 'read' | 'write') => Promise<void>;
}

const DraftQuerySchema = ReportDraftQuerySchema.extend({ lang: LangSchema.optional(), tz: TimeZoneSchema.optional() });
const ExportQuerySchema = ReaderQuerySchema.extend({ format: z.enum(REPORT_EXPORT_FORMATS).default('json') }).strict();

/**
 * Situation reports over REST (the reports themselves are edited in the `reports` document):
 * the automatic draft of a window computed from the journal, and a report's export. Mounted
 * under /api. A draft is the cell's working copy: computing one or exporting one needs the
 * right to write; a published report is for every reader, observers included.
 */
export function reportRoutes({ store, incidents, logger, authorize }: ReportRoutesDeps): Router {
  const router = Router();

  router.get('/incidents/:id/reports/draft', async (req, res) => {
    const id = parseParam(req, 'id');
    const query = parseQuery(DraftQuerySchema, req);
    await incidents.requireIncident(id);
    await authorize(req, res, id, 'write');
    const live = await incidents.metaAndReports(id);
    const reader = readerLocale(query, req.get('accept-language'));
    const draft = await computeDraft(store, live, { incidentId: id, from: query.from, to: query.to, lang: reader.lang, timeZone: reader.timeZone, now: new Date() });
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, draft);
  });

  router.get('/incidents/:id/reports/:reportId', async (req, res) => {
    const id = parseParam(req, 'id');
    const reportId = parseParam(req, 'reportId');
    const query = parseQuery(ExportQuerySchema, req);
    await incidents.requireIncident(id);
    await authorize(req, res, id, 'read');
    const live = await incidents.metaAndReports(id);
    const report = live.reports.find((r) => r.id === reportId);
    if (!report) throw new AppError('NOT_FOUND', `no report ${reportId} in incident ${id}`);
    if (report.status === 'draft') await authorize(req, res, id, 'write');
    const input = { meta: live.meta, report, ...readerLocale(query, req.get('accept-language')), producedAt: new Date() };
    const name = `incident-${id}-report-${report.number}${report.status === 'draft' ? '-draft' : ''}`;
    res.setHeader('Cache-Control', 'no-store');
    if (query.format === 'json') {
      sendJson(res, withExerciseMark(report, live.meta, input.lang));
      return;
    }
    if (query.format === 'md') {
      res.setHeader('Content-Disposition', `attachment; filename="${name}.md"`);
      res.type('text/markdown; charset=utf-8').send(reportMarkdown(input));
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.pdf"`);
    try {
      await writeReportPdf(input, res);
    } catch (err) {
      logger.warn({ err: String(err) }, 'report export failed while streaming');
      res.destroy();
    }
  });

  return router;
}
