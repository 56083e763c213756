import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { PersonSchema } from '../../../../shared/model/common';
import { DOC_PARTS, docName } from '../../../../shared/model/parts';
import { TimelineFilterQuerySchema } from '../../../../shared/timeline/filter';
import { ExportFormatSchema } from '../../../../shared/timeline/exportDocument';
import { ExportAudienceSchema } from '../../../../shared/timeline/audience';
import type { DocumentStore } from '../../../storage/documentStore';
import type { TimelineService } from '../../../timeline/timelineService';
import type { CheckpointService } from '../../../evidence/checkpointService';
import { checkpointFile, checkpointFileText } from '../../../evidence/checkpointFile';
import { exportFileName } from '../../../export/formats';
import { isTimeZone } from '../../../export/exportInput';
import type { Logger } from '../../../logger';
import { AppError } from '../../../errors';
import { parseParam, parseQuery, parseValue } from '../parse';

export interface TimelineRoutesDeps {
  store: DocumentStore;
  timeline: TimelineService;
  checkpoints: CheckpointService;
  logger: Logger;
  /**
   * The membership check: throws (an AppError FORBIDDEN/UNAUTHENTICATED) to refuse.
   * `read`: timeline exports and checkpoint lists; `sign`: signing checkpoints now.
   */
  authorize: (req: Request, res: Response, incidentId: string, action: 'read' | 'sign') => Promise<void>;
  /** The authenticated requester, named in exports as their producer; null → the `by` parameter. */
  requester?: (req: Request, res: Response) => string | null;
  /** The authenticated requester's user id: an anonymised export names them by their pseudonym. */
  requesterId?: (req: Request, res: Response) => string | null;
}

const FILTER_KEYS = ['from', 'to', 'kinds', 'categories', 'authors', 'keyOnly'] as const;

/** Export options beside the filter. `by` is accepted and ignored when the requester is known (always, behind authentication). */
const ExportOptionsSchema = z
  .object({
    format: ExportFormatSchema.default('json'),
    by: PersonSchema.default('api'),
    tz: z.string().max(64).refine(isTimeZone, 'unknown time zone').default('Europe/Paris'),
    delimiter: z.enum(['semicolon', 'comma']).default('semicolon'),
    audience: ExportAudienceSchema.default('nominative'),
    /** The document's language (helper "labels" makes the exports speak it; accepted here for the web export menu). */
    lang: z.enum(['fr', 'en']).optional(),
    from: z.unknown(),
    to: z.unknown(),
    kinds: z.unknown(),
    categories: z.unknown(),
    authors: z.unknown(),
    keyOnly: z.unknown(),
  })
  .strict();

const CheckpointQuerySchema = z.object({ format: z.enum(['json', 'txt']).default('json') }).strict();

/** A response whose headers are out can no longer carry an error: cut it, so the reader sees it is incomplete. */
function abort(res: Response, logger: Logger, err: unknown): void {
  if (!(err instanceof Error && err.message === 'output closed')) logger.warn({ err: String(err) }, 'timeline export failed while streaming');
  res.destroy();
}

/**
 * The post-incident routes: timeline exports, the journal's signed checkpoints and the
 * checkpoint public key. Mounted under /api.
 */
export function timelineRoutes({ store, timeline, checkpoints, logger, authorize, requester = () => null, requesterId = () => null }: TimelineRoutesDeps): Router {
  const router = Router();

  router.get('/incidents/:id/timeline', async (req, res) => {
    const id = parseParam(req, 'id');
    const options = parseQuery(ExportOptionsSchema, req);
    const filter = parseValue(TimelineFilterQuerySchema, Object.fromEntries(FILTER_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])));
    await authorize(req, res, id, 'read');
    const prepared = await timeline.prepareExport({
      incidentId: id,
      format: options.format,
      filter,
      producedBy: requester(req, res) ?? options.by,
      timeZone: options.tz,
      csvDelimiter: options.delimiter === 'comma' ? ',' : ';',
      audience: options.audience,
      ...(options.audience === 'anonymised' ? { producedById: requesterId(req, res) ?? undefined } : {}),
    });
    const name = exportFileName(id, new Date(prepared.header.producedAt), prepared.spec.extension);
    res.status(200);
    res.setHeader('Content-Type', prepared.spec.contentType);
    res.setHeader('Content-Disposition', `${options.format === 'svg' ? 'inline' : 'attachment'}; filename="${name}"`);
    res.setHeader('X-Journal-Head', prepared.header.journal.headRef);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await prepared.write(res);
    } catch (err) {
      abort(res, logger, err);
    }
  });

  router.get('/incidents/:id/checkpoints', async (req, res) => {
    const id = parseParam(req, 'id');
    const { format } = parseQuery(CheckpointQuerySchema, req);
    await authorize(req, res, id, 'read');
    if (!(await store.getIncident(id))) throw new AppError('NOT_FOUND', `no incident ${id}`);
    const all = (await Promise.all(DOC_PARTS.map((p) => store.listCheckpoints(docName(id, p))))).flat();
    const file = checkpointFile(all, id, new Date());
    res.setHeader('Content-Disposition', `attachment; filename="incident-${id}-checkpoints.${format}"`);
    if (format === 'txt') res.type('text/plain; charset=utf-8').send(checkpointFileText(file));
    else res.json(file);
  });

  /** Signs a checkpoint of the incident's documents now (before printing an export, say). */
  router.post('/incidents/:id/checkpoints', async (req, res) => {
    const id = parseParam(req, 'id');
    await authorize(req, res, id, 'sign');
    if (!(await store.getIncident(id))) throw new AppError('NOT_FOUND', `no incident ${id}`);
    const signed = await checkpoints.signNow(DOC_PARTS.map((p) => docName(id, p)));
    res.status(201).json(checkpointFile(signed, id, new Date()));
  });

  router.get('/evidence/public-key', (_req, res) => {
    res.setHeader('X-Key-Id', checkpoints.key.keyId);
    res.type('application/x-pem-file').send(checkpoints.key.publicPem);
  });

  return router;
}
