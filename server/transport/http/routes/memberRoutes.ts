import { Router } from 'express';
import { AuditQuerySchema, MemberBodySchema } from '../../../../shared/auth/schemas';
import type { AuditLog } from '../../../audit/auditLog';
import type { IncidentService } from '../../../incidents/incidentService';
import type { MembershipService } from '../../../policy/membershipService';
import { HttpAuthSettings, principalOf, requestAddress } from '../authenticate';
import { parseParam, parseBody, parseQuery } from '../parse';
import { auditView } from './auditRoutes';
import { isExerciseRole } from '../../../../shared/auth/roles';
import { AppError } from '../../../errors';

/**
 * /api/incidents/:id/members (list: any member; add, change, remove: directors) and
 * /api/incidents/:id/audit (directors): the incident's access and its trail.
 */
export function memberRoutes(incidents: IncidentService, members: MembershipService, audit: Pick<AuditLog, 'list'>, settings: HttpAuthSettings): Router {
  const router = Router();

  router.get('/:id/members', async (req, res) => {
    const incidentId = parseParam(req, 'id');
    await incidents.requireIncident(incidentId);
    res.json({ members: await members.list(principalOf(res), incidentId) });
  });

  router.put('/:id/members/:userId', async (req, res) => {
    const incidentId = parseParam(req, 'id');
    await incidents.requireIncident(incidentId);
    const principal = principalOf(res);
    const userId = parseParam(req, 'userId');
    // A director's act: checked before the body is read.
    await members.require(principal, incidentId, 'manage');
    const { role } = parseBody(MemberBodySchema, req);
    // Animators and evaluators exist in exercises only (issue 17).
    if (isExerciseRole(role) && !(await incidents.isExercise(incidentId))) throw new AppError('NOT_AN_EXERCISE', `the ${role} role exists in exercises only; this is a real incident`);
    res.json(await members.set(principal, incidentId, userId, role, requestAddress(req, settings)));
  });

  router.delete('/:id/members/:userId', async (req, res) => {
    const incidentId = parseParam(req, 'id');
    await incidents.requireIncident(incidentId);
    await members.remove(principalOf(res), incidentId, parseParam(req, 'userId'), requestAddress(req, settings));
    res.status(204).end();
  });

  router.get('/:id/audit', async (req, res) => {
    const incidentId = parseParam(req, 'id');
    await incidents.requireIncident(incidentId);
    await members.require(principalOf(res), incidentId, 'manage');
    const query = parseQuery(AuditQuerySchema, req);
    const records = await audit.list({ incidentId, afterId: query.after, limit: query.limit });
    res.json({ events: records.map(auditView) });
  });

  return router;
}
