import { Router } from 'express';
import { AuditQuerySchema } from '../../shared/auth/schemas';
import { badInput } from '../errors';
import { principalOf } from '../auth/http/authenticate';
import { requireAdmin } from '../auth/authService';
import { auditView } from '../policy/http/memberRoutes';
import type { AuditLog } from './auditLog';

/** GET /api/audit: the whole trail (logins, tokens, accounts, every incident), for administrators; paged by `after`. */
export function auditRoutes(audit: AuditLog): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    requireAdmin(principalOf(res));
    const query = AuditQuerySchema.safeParse(req.query);
    if (!query.success) throw badInput(query.error);
    const records = await audit.list({ afterId: query.data.after, limit: query.data.limit });
    res.json({ events: records.map(auditView) });
  });
  return router;
}
