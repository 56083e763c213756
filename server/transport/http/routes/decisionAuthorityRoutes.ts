import { Router } from 'express';
import { z } from 'zod';
import type { IncidentService } from '../../../incidents/incidentService';
import type { MembershipService } from '../../../policy/membershipService';
import { journalAuthor } from '../../../auth/principal';
import { principalOf } from '../authenticate';
import { parseBody, parseParam } from '../parse';

const BodySchema = z.object({ membersMayApprove: z.boolean() }).strict();

/**
 * `GET|PUT /api/incidents/:id/decision-authority`: whether members may approve, reject,
 * supersede and revoke decisions in this incident (default: no, only directors). Reading is for
 * every role; setting is the director's, like every metadata write (it lives in the metadata).
 */
export function decisionAuthorityRoutes(incidents: IncidentService, members: MembershipService): Router {
  const router = Router();

  router.get('/:id/decision-authority', async (req, res) => {
    const id = parseParam(req, 'id');
    await members.require(principalOf(res), id, 'read');
    res.json({ membersMayApprove: await incidents.membersMayApprove(id) });
  });

  router.put('/:id/decision-authority', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const body = parseBody(BodySchema, req);
    await members.require(principal, id, 'writeMeta');
    await incidents.setMembersMayApprove(id, body.membersMayApprove, journalAuthor(principal));
    res.json({ membersMayApprove: await incidents.membersMayApprove(id) });
  });

  return router;
}
