import { decisionAuthorityRoutes } from './decisionAuthorityRoutes';
import path from 'node:path';
import fs from 'node:fs';
import express, { Express } from 'express';
import type { Registry } from 'prom-client';
import type { IncidentService } from '../../incidents/incidentService';
import type { Logger } from '../../logger';
import { AppError } from '../../errors';
import { errorHandler } from './errorHandler';
import { incidentRoutes } from './incidentRoutes';
import { HttpSecurity, installSecurity } from '../../auth/http/installSecurity';
import { type TimelineRoutesDeps, timelineRoutes } from './timelineRoutes';
import { type PracticeRoutesDeps, practiceRoutes } from './practiceRoutes';
import { type HandoverRoutesDeps, handoverRoutes } from '../../handover/handoverRoutes';
import { regulatoryRoutes } from './regulatoryRoutes';
import type { RegulatoryService } from '../../incidents/regulatoryService';
import { type ReportRoutesDeps, reportRoutes } from './reportRoutes';

interface Deps {
  incidents: IncidentService;
  logger: Logger;
  metrics: Registry;
  health: () => Record<string, unknown>;
  /** Folder of the built browser client, served at /. */
  webRoot: string;
  /** Accounts, sessions, CSRF and security headers (server/auth). */
  security: HttpSecurity;
  /** Post-incident timeline, exports and evidence (server/timeline, server/export, server/evidence). */
  timeline: Omit<TimelineRoutesDeps, 'logger'>;
  /** Incident templates and the paper crisis kit (server/templates, server/kit). */
  practice: Pick<PracticeRoutesDeps, 'templates' | 'latestReport'>;
  /** Shift handover and last visits (server/handover). */
  handover?: HandoverRoutesDeps;
  /** Regulatory clocks and notification drafts (server/incidents/regulatoryService.ts). */
  regulatory: RegulatoryService;
  /** Situation reports: automatic drafts and exports (server/reports). */
  reports: Omit<ReportRoutesDeps, 'logger' | 'incidents'>;
}

export function createHttpApp({ incidents, logger, metrics, health, webRoot, security, timeline, practice, handover, regulatory, reports }: Deps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, ...health() });
  });
  installSecurity(app, security);
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  app.use('/api', express.json({ limit: '256kb' }));
  app.use('/api/incidents', incidentRoutes(incidents, security, practice.templates));
  app.use('/api', practiceRoutes({ ...practice, incidents, members: security.members, logger }));
  if (handover) app.use('/api/incidents', handoverRoutes(handover));
  app.use('/api/incidents', regulatoryRoutes(regulatory, security));
  app.use('/api/incidents', decisionAuthorityRoutes(incidents, security));
  app.use('/api', timelineRoutes({ ...timeline, logger }));
  app.use('/api', reportRoutes({ ...reports, incidents, logger }));
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
