import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { IsoTimeSchema, PersonSchema } from '../../../../shared/model/common';
import { DOC_PARTS, docName } from '../../../../shared/model/parts';
import { TimelineFilterQuerySchema } from '../../../../shared/timeline/filter';
import { ExportFormatSchema } from '../../../../shared/timeline/exportDocument';
import { ExportAudienceSchema } from '../../../../shared/timeline/audience';
import type { DocumentStore } from '../../../storage/documentStore';
import type { TimelineService } from '../../../timeline/timelineService';
import type { CheckpointService } from '../../../evidence/checkpointService';
import { checkpointFile, checkpointFileText } from '../../../evidence/checkpointFile';
import { exportFileName } from '../../../export/formats';
import type { Logger } from '../../../logger';
import { AppError } from '../../../errors';
import { parseParam, parseQuery, parseValue } from '../parse';
import { TimeZoneSchema, readerLocale } from '../../../export/readerLocale';
import { LangSchema } from '../../../../shared/i18n/lang';

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
    tz: TimeZoneSchema.optional(),
    lang: LangSchema.optional(),
    delimiter: z.enum(['semicolon', 'comma']).default('semicolon'),
    audience: ExportAudienceSchema.default('nominative'),
    from: z.unknown(),
    to: z.unknown(),
    kinds: z.unknown(),
    categories: z.unknown(),
    authors: z.unknown(),
    keyOnly: z.unknown(),
  })
  .strict();

/** A window of the timeline for the browser's picture (`cursor`: the previous page's `nextCursor`). */
const WindowQuerySchema = z
  .object({
    from: IsoTimeSchema.optional(),
    to: IsoTimeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(5_000).default(400),
    cursor: z.string().regex(/^\d{1,9}$/).transform(Number).default('0'),
    buckets: z.coerce.number().int().min(0).max(2_000).default(300),
    lang: LangSchema.optional(),
    tz: TimeZoneSchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });

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
    const reader = readerLocale(options, req.get('accept-language'));
    const prepared = await timeline.prepareExport({
      incidentId: id,
      format: options.format,
      filter,
      producedBy: requester(req, res) ?? options.by,
      timeZone: reader.timeZone,
      lang: reader.lang,
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

  /** A window of the timeline: its overview and a page of its events, from the replay kept at the journal's head (read rights as the export). */
  router.get('/incidents/:id/timeline/window', async (req, res) => {
    const id = parseParam(req, 'id');
    const q = parseQuery(WindowQuerySchema, req);
    await authorize(req, res, id, 'read');
    const reader = readerLocale(q, req.get('accept-language'));
    const answer = await timeline.window({ incidentId: id, from: q.from ? new Date(q.from) : null, to: q.to ? new Date(q.to) : null, limit: q.limit, cursor: q.cursor, buckets: q.buckets, lang: reader.lang });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...answer, nextCursor: answer.nextCursor === null ? null : String(answer.nextCursor) });
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
