import { Router } from 'express';
import { z } from 'zod';
import { DraftInputSchema, DraftKindSchema, MarkSentSchema, RegulatoryClockInputSchema } from '../../../../shared/model/regulatory';
import type { RegulatoryService } from '../../../incidents/regulatoryService';
import { draftMarkdown, draftPdf } from '../../../export/regulatory/draftExport';
import { withExerciseMark } from '../../../export/exerciseMark';
import { journalAuthor } from '../../../auth/principal';
import { principalOf } from '../authenticate';
import { ReaderQuerySchema, readerLocale } from '../../../export/readerLocale';
import type { IncidentAccess } from './incidentRoutes';
import { parseBody, parseParam, parseQuery } from '../parse';

const PrefillQuerySchema = z.object({ kind: DraftKindSchema }).strict();
const DraftQuerySchema = ReaderQuerySchema.extend({ format: z.enum(['json', 'md', 'pdf']).default('json') }).strict();
const Empty = z.object({}).strict();

/**
 * The regulatory part over REST, under /api/incidents: clocks and drafts with their deadlines
 * and missing fields (members), the awareness times (the director's, like every metadata
 * write), prefill, a draft's document (JSON, Markdown, PDF), and marking a draft sent.
 */
export function regulatoryRoutes(regulatory: RegulatoryService, { members }: Pick<IncidentAccess, 'members'>): Router {
  const router = Router();

  router.get('/:id/regulatory', async (req, res) => {
    const id = parseParam(req, 'id');
    parseQuery(Empty, req);
    await members.require(principalOf(res), id, 'read');
    res.json(await regulatory.overview(id));
  });

  router.put('/:id/regulatory/clocks', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const input = parseBody(RegulatoryClockInputSchema, req);
    await members.require(principal, id, 'writeMeta');
    const meta = await regulatory.setClocks(id, input, journalAuthor(principal));
    res.json(meta);
  });

  router.get('/:id/regulatory/prefill', async (req, res) => {
    const id = parseParam(req, 'id');
    const { kind } = parseQuery(PrefillQuerySchema, req);
    await members.require(principalOf(res), id, 'read');
    res.json(await regulatory.prefill(id, kind));
  });

  router.post('/:id/regulatory', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const input = parseBody(DraftInputSchema, req);
    await members.require(principal, id, 'write');
    const draft = await regulatory.create(id, input, principal.user.displayName, journalAuthor(principal));
    res.status(201).json((await regulatory.draft(id, draft.id)));
  });

  router.get('/:id/regulatory/:draftId', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const draftId = parseParam(req, 'draftId');
    const query = parseQuery(DraftQuerySchema, req);
    const { format } = query;
    await members.require(principal, id, 'read');
    const view = await regulatory.draft(id, draftId);
    const reader = readerLocale(query, req.get('accept-language'));
    if (format === 'json') {
      res.json(withExerciseMark(view, view.meta, reader.lang));
      return;
    }
    const headRef = await regulatory.journalHead(id);
    const input = { view, meta: view.meta, headRef, producedAt: new Date(), producedBy: `${principal.user.displayName} <${principal.user.email}>`, ...reader };
    const name = `incident-${id}-${view.draft.kind}-${draftId}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('X-Journal-Head', headRef);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'md') res.type('text/markdown; charset=utf-8').send(draftMarkdown(input));
    else res.type('application/pdf').send(await draftPdf(input));
  });

  router.post('/:id/regulatory/:draftId/send', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const draftId = parseParam(req, 'draftId');
    const body = parseBody(MarkSentSchema, req);
    await members.require(principal, id, 'write');
    const view = await regulatory.markSent(id, draftId, body, principal.user.displayName, journalAuthor(principal));
    // No audit row: the journal holds the sealed draft and the log entry, under the sender's id.
    res.json(view);
  });

  return router;
}
