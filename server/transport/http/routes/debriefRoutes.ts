import { Router } from 'express';
import { z } from 'zod';
import { DebriefFormatSchema } from '../../../../shared/exercise/debrief';
import { ExportAudienceSchema } from '../../../../shared/timeline/audience';
import { DEFAULT_TIME_ZONE, LangSchema } from '../../../../shared/i18n/lang';
import type { DebriefService } from '../../../exercise/debrief/debriefService';
import { debriefFileName, renderDebrief } from '../../../exercise/debrief/debriefFormats';
import type { IncidentService } from '../../../incidents/incidentService';
import type { MembershipService } from '../../../policy/membershipService';
import { TimeZoneSchema } from '../../../export/readerLocale';
import { principalOf } from '../authenticate';
import { parseParam, parseQuery } from '../parse';

export interface DebriefRoutesDeps {
  debrief: DebriefService;
  incidents: IncidentService;
  members: MembershipService;
}

/** `format` (json, md, pdf, svg), and as the timeline exports: `lang` (default: the exercise's), `tz`, `audience`. */
const DebriefQuerySchema = z
  .object({
    format: DebriefFormatSchema.default('json'),
    lang: LangSchema.optional(),
    tz: TimeZoneSchema.optional(),
    audience: ExportAudienceSchema.default('nominative'),
  })
  .strict();

/**
 * The exercise debrief (RETEX), mounted under /api: `GET /incidents/:id/exercise/debrief`. For
 * animators and evaluators (`readExercise`, as the chronogram): a player is refused before
 * anything of the exercise is read; a real incident answers NOT_AN_EXERCISE to its members.
 */
export function debriefRoutes({ debrief, incidents, members }: DebriefRoutesDeps): Router {
  const router = Router();

  router.get('/incidents/:id/exercise/debrief', async (req, res) => {
    const id = parseParam(req, 'id');
    await incidents.requireIncident(id);
    const principal = principalOf(res);
    // A member of a real incident learns it has no debrief; in an exercise, players are refused.
    await members.require(principal, id, 'read');
    await debrief.requireExercise(id);
    await members.require(principal, id, 'readExercise');
    const query = parseQuery(DebriefQuerySchema, req);
    const { user } = principal;
    const built = await debrief.build({ incidentId: id, lang: query.lang, timeZone: query.tz ?? DEFAULT_TIME_ZONE, audience: query.audience, producedBy: `${user.displayName} <${user.email}>`, producedById: user.id });
    const out = await renderDebrief(built, query.format);
    res.status(200);
    res.setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `${query.format === 'svg' || query.format === 'json' ? 'inline' : 'attachment'}; filename="${debriefFileName(id, built.producedAt, out.extension)}"`);
    res.setHeader('X-Journal-Head', built.journalHeadRef);
    res.send(out.body);
  });

  return router;
}
