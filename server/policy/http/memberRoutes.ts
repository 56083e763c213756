import { Router } from 'express';
import { IdSchema } from '../../../shared/model/common';
import { AuditQuerySchema } from '../../../shared/auth/schemas';
import type { AuditView } from '../../../shared/auth/schemas';
import { badInput } from '../../errors';
import type { AuditRecord } from '../../auth/accountStore';
import type { AuditLog } from '../../audit/auditLog';
import type { IncidentService } from '../../incidents/incidentService';
import { HttpAuthSettings, principalOf, requestAddress } from '../../auth/http/authenticate';
import type { MembershipService } from '../membershipService';

function id(value: unknown): string {
  const parsed = IdSchema.safeParse(value);
  if (!parsed.success) throw badInput(parsed.error);
  return parsed.data;
}

export function auditView(r: AuditRecord): AuditView {
  return { id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, incidentId: r.incidentId, ip: r.ip, detail: r.detail };
}

/**
 * /api/incidents/:id/members (list: any member; add, change, remove: directors) and
 * /api/incidents/:id/audit (directors): the incident's access and its trail.
 */
export function memberRoutes(incidents: IncidentService, members: MembershipService, audit: AuditLog, settings: HttpAuthSettings): Router {
  const router = Router();

  router.get('/:id/members', async (req, res) => {
    const incidentId = id(req.params.id);
    await incidents.requireIncident(incidentId);
    res.json({ members: await members.list(principalOf(res), incidentId) });
  });

  router.put('/:id/members/:userId', async (req, res) => {
    const incidentId = id(req.params.id);
    await incidents.requireIncident(incidentId);
    res.json(await members.set(principalOf(res), incidentId, id(req.params.userId), req.body, requestAddress(req, settings)));
  });

  router.delete('/:id/members/:userId', async (req, res) => {
    const incidentId = id(req.params.id);
    await incidents.requireIncident(incidentId);
    await members.remove(principalOf(res), incidentId, id(req.params.userId), requestAddress(req, settings));
    res.status(204).end();
  });

  router.get('/:id/audit', async (req, res) => {
    const incidentId = id(req.params.id);
    await incidents.requireIncident(incidentId);
    await members.require(principalOf(res), incidentId, 'manage');
    const query = AuditQuerySchema.safeParse(req.query);
    if (!query.success) throw badInput(query.error);
    const records = await audit.list({ incidentId, afterId: query.data.after, limit: query.data.limit });
    res.json({ events: records.map(auditView) });
  });

  return router;
}
