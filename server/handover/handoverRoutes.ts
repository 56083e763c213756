import { Router } from 'express';
import { IdSchema } from '../../shared/model/common';
import { HandoverQuerySchema } from '../../shared/protocol/handover';
import { badInput } from '../errors';
import { principalOf } from '../auth/http/authenticate';
import type { MembershipService } from '../policy/membershipService';
import type { HandoverService } from './handoverService';
import type { LastVisits } from './lastVisits';

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
    const id = IdSchema.safeParse(req.params.id);
    if (!id.success) throw badInput(id.error);
    const query = HandoverQuerySchema.safeParse(req.query);
    if (!query.success) throw badInput(query.error);
    await members.require(principal, id.data, 'read');
    res.json(await handover.handover(id.data, { userId: principal.user.id, name: principal.user.displayName }, query.data.since ? new Date(query.data.since) : undefined));
  });

  router.post('/:id/visit', async (req, res) => {
    const principal = principalOf(res);
    const id = IdSchema.safeParse(req.params.id);
    if (!id.success) throw badInput(id.error);
    await members.require(principal, id.data, 'read');
    await visits.record(id.data, principal.user.id);
    res.status(204).end();
  });

  return router;
}
