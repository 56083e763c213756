import { Router } from 'express';
import { z } from 'zod';
import { IdSchema } from '../../../shared/model/common';
import type { IncidentService } from '../../incidents/incidentService';
import { badInput } from '../../errors';
import { journalAuthor } from '../../auth/principal';
import { principalOf } from '../../auth/http/authenticate';
import type { IncidentAccess } from './incidentRoutes';

const BodySchema = z.object({ membersMayApprove: z.boolean() }).strict();

/**
 * `GET|PUT /api/incidents/:id/decision-authority`: whether members may approve, reject,
 * supersede and revoke decisions in this incident (default: no, only directors). Reading is for
 * every role; setting is the director's, like every metadata write (it lives in the metadata).
 */
export function decisionAuthorityRoutes(incidents: IncidentService, { members }: Pick<IncidentAccess, 'members'>): Router {
  const router = Router();

  router.get('/:id/decision-authority', async (req, res) => {
    const id = IdSchema.safeParse(req.params.id);
    if (!id.success) throw badInput(id.error);
    await members.require(principalOf(res), id.data, 'read');
    res.json({ membersMayApprove: await incidents.membersMayApprove(id.data) });
  });

  router.put('/:id/decision-authority', async (req, res) => {
    const principal = principalOf(res);
    const id = IdSchema.safeParse(req.params.id);
    if (!id.success) throw badInput(id.error);
    const body = BodySchema.safeParse(req.body);
    if (!body.success) throw badInput(body.error);
    await members.require(principal, id.data, 'writeMeta');
    await incidents.setMembersMayApprove(id.data, body.data.membersMayApprove, journalAuthor(principal));
    res.json({ membersMayApprove: await incidents.membersMayApprove(id.data) });
  });

  return router;
}
