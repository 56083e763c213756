import { Router } from 'express';
import { HandoverQuerySchema } from '../../../../shared/protocol/handover';
import type { MembershipService } from '../../../policy/membershipService';
import type { HandoverService } from '../../../handover/handoverService';
import type { LastVisits } from '../../../handover/lastVisits';
import { principalOf } from '../authenticate';
import { parseParam, parseQuery } from '../parse';

export interface HandoverRoutesDeps {
  handover: HandoverService;
  visits: LastVisits;
  members: MembershipService;
}

/**
 * `GET /api/incidents/:id/handover?since=<ISO>` (since: default the caller's last visit) and
 * `POST /api/incidents/:id/visit` (record "I leave now"; 204). Members with read access.
 */
export function handoverRoutes({ handover, visits, members }: HandoverRoutesDeps): Router {
  const router = Router();

  router.get('/:id/handover', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    const query = parseQuery(HandoverQuerySchema, req);
    await members.require(principal, id, 'read');
    res.json(await handover.handover(id, { userId: principal.user.id, name: principal.user.displayName }, query.since ? new Date(query.since) : undefined));
  });

  router.post('/:id/visit', async (req, res) => {
    const principal = principalOf(res);
    const id = parseParam(req, 'id');
    await members.require(principal, id, 'read');
    await visits.record(id, principal.user.id);
    res.status(204).end();
  });

  return router;
}
