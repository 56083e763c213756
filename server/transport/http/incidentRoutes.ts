import { Router } from 'express';
import { z } from 'zod';
import { CreateIncidentSchema } from '../../../shared/model/incident';
import { LogEntryInputSchema } from '../../../shared/model/log';
import { IdSchema, IsoTimeSchema, PersonSchema } from '../../../shared/model/common';
import type { IncidentService } from '../../incidents/incidentService';
import { badInput } from '../../errors';

/** Until accounts exist, REST callers name themselves, as socket clients do at connection. */
const AuthoredSchema = z.object({ author: PersonSchema });
const CreateBodySchema = CreateIncidentSchema.extend({ author: PersonSchema.default('api') }).strict();
const LogBodySchema = LogEntryInputSchema.extend(AuthoredSchema.shape).strict();
/** `?at=<ISO time>`: the incident as it stood then, replayed from the journal. */
const StateQuerySchema = z.object({ at: IsoTimeSchema.optional() }).strict();

function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw badInput(result.error);
  return result.data;
}

export function incidentRoutes(incidents: IncidentService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const { author, ...input } = parse(CreateBodySchema, req.body);
    const meta = await incidents.create(input, author);
    res.status(201).location(`/api/incidents/${meta.id}`).json(meta);
  });

  router.get('/', async (_req, res) => {
    res.json({ incidents: await incidents.list() });
  });

  router.get('/:id', async (req, res) => {
    const id = parse(IdSchema, req.params.id);
    const { at } = parse(StateQuerySchema, req.query);
    res.json(at ? await incidents.stateAt(id, new Date(at)) : await incidents.state(id));
  });

  router.post('/:id/log', async (req, res) => {
    const id = parse(IdSchema, req.params.id);
    const { author, ...input } = parse(LogBodySchema, req.body);
    const entry = await incidents.appendLog(id, input, author);
    res.status(201).json(entry);
  });

  return router;
}
