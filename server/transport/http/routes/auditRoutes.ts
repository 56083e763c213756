import { Router } from 'express';
import { AuditQuerySchema } from '../../../../shared/auth/schemas';
import type { AuditView } from '../../../../shared/auth/schemas';
import type { AuditRecord } from '../../../auth/accountStore';
import { requireAdmin } from '../../../auth/guards';
import type { AuditLog } from '../../../audit/auditLog';
import { principalOf } from '../authenticate';
import { parseQuery } from '../parse';

export function auditView(r: AuditRecord): AuditView {
  return { id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, incidentId: r.incidentId, ip: r.ip, detail: r.detail };
}

/** GET /api/audit: the whole trail (logins, tokens, accounts, every incident), for administrators; paged by `after`. */
export function auditRoutes(audit: Pick<AuditLog, 'list'>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireAdmin(principalOf(res));
    const query = parseQuery(AuditQuerySchema, req);
    const records = await audit.list({ afterId: query.after, limit: query.limit });
    res.json({ events: records.map(auditView) });
  });
  return router;
}
