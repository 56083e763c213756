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
  /** Situation reports: automatic drafts and exports (server/reports). */
  reports: Omit<ReportRoutesDeps, 'logger' | 'incidents'>;
}

export function createHttpApp({ incidents, logger, metrics, health, webRoot, security, timeline, reports }: Deps): Express {
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
  app.use('/api/incidents', incidentRoutes(incidents, security));
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
