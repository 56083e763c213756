import path from 'node:path';
import fs from 'node:fs';
import express, { Express } from 'express';
import type { Registry } from 'prom-client';
import type { IncidentService } from '../incidents/incidentService';
import type { RegulatoryService } from '../incidents/regulatoryService';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { adminOnly, noStore, requirePrincipal } from '../transport/http/authenticate';
import { csrfProtection } from '../transport/http/csrf';
import { errorHandler } from '../transport/http/errorHandler';
import { securityHeadersWithHelmet } from '../transport/http/hardening';
import { accountRoutes, publicAuthRoutes } from '../transport/http/routes/authRoutes';
import { auditRoutes } from '../transport/http/routes/auditRoutes';
import { decisionAuthorityRoutes } from '../transport/http/routes/decisionAuthorityRoutes';
import { type HandoverRoutesDeps, handoverRoutes } from '../transport/http/routes/handoverRoutes';
import { incidentRoutes } from '../transport/http/routes/incidentRoutes';
import { memberRoutes } from '../transport/http/routes/memberRoutes';
import { type ExerciseRoutesDeps, exerciseRoutes } from '../transport/http/routes/exerciseRoutes';
import { type DebriefRoutesDeps, debriefRoutes } from '../transport/http/routes/debriefRoutes';
import { type PracticeRoutesDeps, practiceRoutes } from '../transport/http/routes/practiceRoutes';
import { regulatoryRoutes } from '../transport/http/routes/regulatoryRoutes';
import { type ReportRoutesDeps, reportRoutes } from '../transport/http/routes/reportRoutes';
import { type TimelineRoutesDeps, timelineRoutes } from '../transport/http/routes/timelineRoutes';
import type { Security } from './security';

export interface HttpAppDeps {
  incidents: IncidentService;
  logger: Logger;
  metrics: Registry;
  health: () => Record<string, unknown>;
  /** Folder of the built browser client, served at /. */
  webRoot: string;
  /** Accounts, sessions, memberships and the audit trail. */
  security: Pick<Security, 'auth' | 'members' | 'audit' | 'settings'>;
  /** Post-incident timeline, exports and evidence (server/timeline, server/export, server/evidence). */
  timeline: Omit<TimelineRoutesDeps, 'logger'>;
  /** Incident templates and the paper crisis kit (server/templates, server/kit). */
  practice: Pick<PracticeRoutesDeps, 'templates' | 'latestReport'>;
  /** Exercise scenarios and exercises (server/exercise). */
  exercise: Pick<ExerciseRoutesDeps, 'exercises' | 'scenarios'>;
  /** The exercise debrief (server/exercise/debrief). */
  debrief: DebriefRoutesDeps['debrief'];
  /** Shift handover and last visits (server/handover). */
  handover: Omit<HandoverRoutesDeps, 'members'>;
  /** Regulatory clocks and notification drafts (server/incidents/regulatoryService.ts). */
  regulatory: RegulatoryService;
  /** Situation reports: automatic drafts and exports (server/reports). */
  reports: Omit<ReportRoutesDeps, 'logger' | 'incidents'>;
}

/**
 * Every HTTP route of the server, in order: /healthz (public); security headers on every
 * response; on /api, no caching, the CSRF check for writes, JSON bodies, the public auth
 * endpoints; then a valid session or token for all else under /api and for /metrics
 * (administrators); the routers of server/transport/http/routes; the browser client's static
 * pages (public: they hold no data); the one error formatter.
 */
export function createHttpApp(deps: HttpAppDeps): Express {
  const { incidents, logger, metrics, health, webRoot, security } = deps;
  const { settings, auth, members, audit } = security;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.trustProxy ? 1 : false);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, ...health() });
  });
  app.use(securityHeadersWithHelmet(settings.cookieSecure));
  app.use('/api', noStore, csrfProtection(settings), express.json({ limit: '256kb' }));
  app.use('/api', publicAuthRoutes(auth, settings));
  app.use(['/api', '/metrics'], requirePrincipal(auth.credentials, settings));
  app.use('/metrics', adminOnly);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  app.use('/api', accountRoutes(auth, settings, (id) => incidents.requireIncident(id)));
  app.use('/api/audit', auditRoutes(audit));
  app.use('/api/incidents', memberRoutes(incidents, members, audit, settings));
  app.use('/api/incidents', incidentRoutes(incidents, { members, audit, settings }, deps.practice.templates, deps.exercise));
  app.use('/api', exerciseRoutes({ ...deps.exercise, incidents, members }));
  app.use('/api', debriefRoutes({ debrief: deps.debrief, incidents, members }));
  app.use('/api', practiceRoutes({ ...deps.practice, incidents, members, logger }));
  app.use('/api/incidents', handoverRoutes({ ...deps.handover, members }));
  app.use('/api/incidents', regulatoryRoutes(deps.regulatory, { members }));
  app.use('/api/incidents', decisionAuthorityRoutes(incidents, members));
  app.use('/api', timelineRoutes({ ...deps.timeline, logger }));
  app.use('/api', reportRoutes({ ...deps.reports, incidents, logger }));
  app.use('/api', (req, _res, next) => next(new AppError('NOT_FOUND', `no route ${req.method} ${req.path}`)));

  if (fs.existsSync(webRoot)) {
    app.use(express.static(webRoot, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => {
      if (file.endsWith('index.html') || file.endsWith('sw.js')) res.setHeader('Cache-Control', 'no-cache');
    } }));
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(webRoot, 'index.html')));
  }

  app.use(errorHandler(logger));
  return app;
}
