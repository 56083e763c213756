import { Router } from 'express';
import { z } from 'zod';
import type { IncidentService } from '../../../incidents/incidentService';
import type { MembershipService } from '../../../policy/membershipService';
import type { TemplateCatalog } from '../../../templates/templateCatalog';
import { type KitReport, writeKitPdf } from '../../../kit/kitPdf';
import { kitReportOf } from '../../../kit/kitReport';
import { principalOf } from '../authenticate';
import type { Logger } from '../../../logger';
import { parseParam, parseQuery } from '../parse';
import { ReaderQuerySchema, readerLocale } from '../../../export/readerLocale';

export interface PracticeRoutesDeps {
  incidents: IncidentService;
  members: MembershipService;
  templates: TemplateCatalog;
  logger: Logger;
  /** The incident's latest published situation report; null when none (or before reports are wired in). */
  /** Overrides where the kit's situation report comes from; default: the latest published one in the incident. */
  latestReport?: (incidentId: string) => Promise<KitReport | null>;
}

const KitQuerySchema = ReaderQuerySchema.extend({
  /** Blank log sheets to print. */
  sheets: z.coerce.number().int().min(0).max(50).default(5),
}).strict();

/** Crisis-cell practice (issue #7): the incident templates and the paper crisis kit. Mounted under /api. */
export function practiceRoutes({ incidents, members, templates, logger, latestReport }: PracticeRoutesDeps): Router {
  const router = Router();

  /** Every signed-in user may list them (to create an incident from one); problems name the bad files. */
  router.get('/templates', (_req, res) => {
    principalOf(res);
    res.json(templates.list());
  });

  router.get('/incidents/:id/kit.pdf', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const query = parseQuery(KitQuerySchema, req);
    const reader = readerLocale(query, req.get('accept-language'));
    await incidents.requireIncident(id);
    await members.require(principal, id, 'read');
    const [state, roster] = await Promise.all([incidents.state(id), members.list(principal, id)]);
    const report = latestReport ? await latestReport(id) : kitReportOf(state.reports, reader.lang);
    const producedAt = new Date();
    const stamp = producedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="incident-${id}-kit-${stamp}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeKitPdf(
        {
          incident: state.meta,
          members: roster.map((m) => ({ name: m.displayName, email: m.email, role: m.role })),
          tasks: state.tasks,
          latestReport: report,
          producedAt,
          producedBy: principal.user.displayName,
          timeZone: reader.timeZone,
          lang: reader.lang,
          blankSheets: query.sheets,
        },
        res,
      );
    } catch (err) {
      logger.warn({ err: String(err) }, 'kit PDF failed while streaming');
      res.destroy();
    }
  });

  return router;
}
