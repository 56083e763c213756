import express, { Express, RequestHandler } from 'express';
import type { AuthService } from '../authService';
import { requireAdmin } from '../authService';
import type { MembershipService } from '../../policy/membershipService';
import type { AuditLog } from '../../audit/auditLog';
import type { IncidentService } from '../../incidents/incidentService';
import { memberRoutes } from '../../policy/http/memberRoutes';
import { auditRoutes } from '../../audit/auditRoutes';
import { HttpAuthSettings, principalOf, requirePrincipal } from './authenticate';
import { csrfProtection } from './csrf';
import { securityHeadersWithHelmet } from './hardening';
import { accountRoutes, publicAuthRoutes } from './authRoutes';

export interface HttpSecurity {
  settings: HttpAuthSettings;
  auth: AuthService;
  members: MembershipService;
  audit: AuditLog;
  incidents: IncidentService;
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

const adminOnly: RequestHandler = (_req, res, next) => {
  requireAdmin(principalOf(res));
  next();
};

/**
 * Everything between the outside and the routes, in order: security headers on every
 * response; on /api, no caching, the CSRF check for writes, JSON bodies, the public auth
 * endpoints; then a valid session or token for all else under /api and for /metrics
 * (administrators). /healthz, mounted before this, and the static pages of the browser client
 * stay public: they hold no data.
 */
export function installSecurity(app: Express, security: HttpSecurity): void {
  const { settings, auth, members, audit, incidents } = security;
  if (settings.trustProxy) app.set('trust proxy', 1);
  app.use(securityHeadersWithHelmet(settings.cookieSecure));
  app.use('/api', noStore, csrfProtection(settings), express.json({ limit: '256kb' }));
  app.use('/api', publicAuthRoutes(auth, settings));
  app.use(['/api', '/metrics'], requirePrincipal(auth, settings));
  app.use('/metrics', adminOnly);
  app.use('/api', accountRoutes(auth, settings));
  app.use('/api/audit', auditRoutes(audit));
  app.use('/api/incidents', memberRoutes(incidents, members, audit, settings));
}
