import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { newId } from '../../shared/model/ids';
import type { DocName } from '../../shared/model/parts';
import { LIMITS } from '../../shared/protocol/limits';
import { EVENTS } from '../../shared/protocol/messages';
import { encodeBroadcastBytes } from '../../shared/protocol/broadcastBytes';
import type { Config } from '../config';
import { createLogger, Logger } from '../logger';
import { createMetrics } from '../metrics';
import type { DocumentStore } from '../storage/documentStore';
import type { Fanout } from '../fanout/fanout';
import { openStore } from '../storage/openStore';
import { openFanout } from '../fanout/openFanout';
import { JournalWatch } from '../documents/journalWatch';
import { RoomRegistry } from '../documents/roomRegistry';
import { SnapshotCompactor } from '../documents/snapshotCompactor';
import type { DocumentRoom } from '../documents/room';
import { DailyQuota } from '../policy/dailyQuota';
import { PublishedViews, publishedChannel, withPublishedViews } from '../reports/publishedView';
import { IncidentService } from '../incidents/incidentService';
import { RegulatoryService } from '../incidents/regulatoryService';
import { attachSocketTransport, socketDelivery } from '../transport/socket/socketTransport';
import { DRAIN_SPREAD_MAX_MS, drainSockets } from '../transport/socket/drain';
import { principalOf } from '../transport/http/authenticate';
import { LastVisits } from '../handover/lastVisits';
import { HandoverService } from '../handover/handoverService';
import type { AccountStore } from '../auth/accountStore';
import { openAccountStore } from '../auth/openAccountStore';
import type { CheckpointService } from '../evidence/checkpointService';
import type { TimelineService } from '../timeline/timelineService';
import type { TimelineSource } from '../timeline/sources';
import { TemplateCatalog, shippedTemplatesDir } from '../templates/templateCatalog';
import { ScenarioCatalog, shippedScenariosDir } from '../exercise/scenarioCatalog';
import { ExerciseService } from '../exercise/exerciseService';
import { openExerciseStore } from '../exercise/exerciseStore';
import { openCheckpoints } from './checkpoints';
import { createHttpApp } from './httpApp';
import { buildSecurity, type Security } from './security';
import { buildDebrief, buildTimeline } from './timeline';
import type { DebriefService } from '../exercise/debrief/debriefService';

export interface RunningServer {
  url: string;
  port: number;
  nodeId: string;
  io: Server;
  store: DocumentStore;
  fanout: Fanout;
  rooms: RoomRegistry;
  incidents: IncidentService;
  checkpoints: CheckpointService;
  timeline: TimelineService;
  handover: HandoverService;
  visits: LastVisits;
  logger: Logger;
  /** Accounts, permissions, audit (server/auth, server/policy, server/audit). */
  security: Security;
  /** The one-time link printed at a first start without ADMIN_EMAIL/ADMIN_PASSWORD, else null. */
  setupUrl: string | null;
  /** Stops at once: sockets are disconnected (their clients reconnect by themselves), pending commits flushed. */
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM): stops taking connections (/healthz answers 503 "draining"), tells
   * every client to reconnect elsewhere after a jittered delay, waits for them to go (at most
   * about half of `graceMs`), then closes as `close()`. The caller bounds the whole by `graceMs`.
   */
  drain(graceMs: number): Promise<void>;
}

/** Backends a caller may supply instead of opening them from the config (tests, in-process clusters). */
export interface ServerOverrides {
  store?: DocumentStore;
  fanout?: Fanout;
  webRoot?: string;
  /** Accounts to use instead of the ones in the store's database (a custom DocumentStore needs this). */
  accounts?: AccountStore;
  /** Extra timeline events beside the journal and the membership audit: see server/timeline/sources.ts. */
  timelineSources?: TimelineSource[];
}

/** Everything a node runs, built once here: the only place that constructs the server's services. */
interface Services {
  nodeId: string;
  logger: Logger;
  store: DocumentStore;
  fanout: Fanout;
  snapshots: SnapshotCompactor;
  metrics: ReturnType<typeof createMetrics>;
  publishedViews: PublishedViews;
  rooms: RoomRegistry;
  incidents: IncidentService;
  regulatory: RegulatoryService;
  journalWatch: JournalWatch;
  security: Security;
  checkpoints: CheckpointService;
  timeline: TimelineService;
  templates: TemplateCatalog;
  scenarios: ScenarioCatalog;
  exercises: ExerciseService;
  debrief: DebriefService;
  visits: LastVisits;
  handover: HandoverService;
}

/** The socket.io server, set once the services exist (deliveries look it up when they happen). */
interface IoHolder {
  io: Server | null;
}

async function buildServices(config: Config, overrides: ServerOverrides, holder: IoHolder, publicUrl: () => string): Promise<Services> {
  const nodeId = config.nodeId ?? `node-${newId().slice(0, 8)}`;
  const logger = createLogger(config.logLevel, nodeId);
  const store = overrides.store ?? (await openStore(config, logger));
  const fanout = overrides.fanout ?? (await openFanout(config, nodeId, logger));
  const getIo = () => holder.io!;
  let incidents: IncidentService | null = null;
  const metrics = createMetrics({
    connections: () => holder.io?.engine.clientsCount ?? 0,
    documents: () => rooms.loaded().length,
    incidentKinds: async () => {
      const all = await store.listIncidents();
      const exercise = all.filter((m) => m.exercise === true).length;
      return { real: all.length - exercise, exercise };
    },
  });
  // Readers without draft rights follow a reports document through its published view.
  const publishedViews = new PublishedViews((doc, update) => getIo().local.to(publishedChannel(doc)).emit(EVENTS.update, { doc, update: encodeBroadcastBytes(update) }));
  const snapshots = new SnapshotCompactor();
  const rooms: RoomRegistry = new RoomRegistry(
    {
      store,
      fanout,
      snapshots,
      logger,
      metrics: metrics.room,
      delivery: withPublishedViews(socketDelivery(getIo), () => publishedViews, (doc): DocumentRoom | undefined =>
        (getIo().sockets.adapter.rooms.get(publishedChannel(doc))?.size ?? 0) > 0 ? rooms.loaded().find((r: DocumentRoom) => r.name === doc) : undefined,
      ),
      onCommitted: (room, records) => incidents?.onCommitted(room, records),
    },
    config.roomIdleSeconds * 1000,
  );
  incidents = new IncidentService(store, rooms, new DailyQuota(config.budgetIncidentsPerDay, 'incidents created'));
  const journalWatch = new JournalWatch(store, rooms, logger, fanout.kind === 'in-process' ? 0 : config.journalWatchSeconds * 1000);
  journalWatch.start();
  const accounts = overrides.accounts ?? (await openAccountStore(store));
  const security = buildSecurity(config, accounts, incidents, logger, publicUrl, metrics.registry);
  const checkpoints = openCheckpoints(config, store, logger);
  checkpoints.start();
  // Timelines name people by their accounts and list membership changes from the audit trail
  // (through the AuditLog, so entries still in its write buffer are included).
  const timeline = buildTimeline(store, accounts, (q) => security.audit.list(q), overrides.timelineSources);
  const templates = new TemplateCatalog([shippedTemplatesDir(), ...(config.templatesDir ? [config.templatesDir] : [])]);
  // A bad template is left out and said so; it never stops the server.
  for (const p of templates.problems) logger.warn({ code: p.code, file: p.file }, `incident template not loaded: ${p.message}`);
  fanout.onResync(() => {
    for (const room of rooms.loaded()) void room.catchUp().catch(() => undefined);
  });
  const scenarios = new ScenarioCatalog([shippedScenariosDir(), ...(config.scenariosDir ? [config.scenariosDir] : [])]);
  for (const p of scenarios.problems) logger.warn({ code: p.code, file: p.file }, `exercise scenario not loaded: ${p.message}`);
  // The lock key is no document's: only exercises take it.
  const exerciseStore = openExerciseStore(store);
  const exercises = new ExerciseService(exerciseStore, incidents, rooms, logger, (id, task) => store.lockDocument(`${id}:exercise` as DocName, task));
  // Clocks that ran when the server stopped go on from their stored state.
  await exercises.resumeScheduling();
  const debrief = buildDebrief(store, accounts, (q) => security.audit.list(q), scenarios);
  const visits = new LastVisits(accounts, logger);
  const handover = new HandoverService(store, incidents, visits);
  // In an exercise the regulatory clocks count on its clock (issue 17).
  const regulatory = new RegulatoryService(store, rooms, incidents, async (id) => (await exerciseStore.get(id))?.clock ?? null);
  return { nodeId, logger, store, fanout, snapshots, metrics, publishedViews, rooms, incidents, regulatory, journalWatch, security, checkpoints, timeline, templates, scenarios, exercises, debrief, visits, handover };
}

function createSocketServer(httpServer: http.Server): Server {
  return new Server(httpServer, {
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    // Messages are never lost by design (journal + state vectors), so no connection-state recovery,
    // which would also skip the authentication middleware on reconnect.
    connectionStateRecovery: undefined,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    serveClient: false,
    // The SDK speaks websocket only. Refusing long-polling keeps it that way, so a load
    // balancer needs no sticky sessions (a polling session is several requests that must all
    // reach the node holding it).
    transports: ['websocket'],
    // No zlib context per connection (hundreds of KB each) and no compression of polling
    // responses: Yjs updates are small and binary.
    perMessageDeflate: false,
    httpCompression: false,
  });
}

/** Node state the sockets, the HTTP listener and the stop share. */
interface RunState {
  draining: boolean;
  shuttingDown: boolean;
}

function attachSockets(config: Config, s: Services, io: Server, state: RunState): void {
  s.security.attachSockets(io);
  // A draining node takes no new connection, even over a balancer's kept-alive HTTP connection.
  const allowRequest = io.engine.opts.allowRequest;
  io.engine.opts.allowRequest = (req, callback) => {
    if (state.draining) callback('draining', false);
    else if (allowRequest) allowRequest(req, callback);
    else callback(null, true);
  };
  attachSocketTransport(io, {
    rooms: s.rooms,
    logger: s.logger,
    access: s.security.socketAccess,
    rate: { perSecond: config.socketRatePerSecond, burst: config.socketRateBurst },
    publishedViews: s.publishedViews,
    stages: s.metrics.stages,
    // A server shutting down disconnects everyone: that is not each user leaving.
    onLeft: (doc, userId) => {
      if (!state.shuttingDown) s.visits.leftDocument(doc, userId);
    },
  });
}

function listenHttp(config: Config, s: Services, httpServer: http.Server, state: RunState, webRoot: string): void {
  const { members } = s.security;
  const app = createHttpApp({
    incidents: s.incidents,
    logger: s.logger,
    metrics: s.metrics.registry,
    webRoot,
    health: () => ({ node: s.nodeId, storage: s.store.kind, fanout: s.fanout.kind, documents: s.rooms.loaded().length }),
    security: s.security,
    handover: { handover: s.handover, visits: s.visits },
    regulatory: s.regulatory,
    timeline: {
      store: s.store,
      timeline: s.timeline,
      checkpoints: s.checkpoints,
      // Exports are for the incident's members; signing a checkpoint is a director's act.
      authorize: async (_req, res, incidentId, action) => {
        await members.require(principalOf(res), incidentId, action === 'sign' ? 'manage' : 'read');
      },
      requester: (_req, res) => {
        const { user } = principalOf(res);
        return `${user.displayName} <${user.email}>`;
      },
      requesterId: (_req, res) => principalOf(res).user.id,
    },
    practice: { templates: s.templates },
    exercise: { exercises: s.exercises, scenarios: s.scenarios },
    debrief: s.debrief,
    reports: {
      store: s.store,
      authorize: async (_req, res, incidentId, action) => {
        await members.require(principalOf(res), incidentId, action);
      },
    },
  });
  httpServer.on('request', (req, res) => {
    // A balancer polling /healthz stops sending to a draining node.
    if (state.draining && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) {
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: false, status: 'draining', node: s.nodeId }));
      return;
    }
    app(req, res);
  });
}

function stopping(s: Services, httpServer: http.Server, io: Server, state: RunState): Pick<RunningServer, 'close' | 'drain'> {
  let closing: Promise<void> | null = null;
  const finish = async () => {
    io.disconnectSockets(true);
    const closed = new Promise<void>((resolve) => io.close(() => resolve()));
    // close() waits for every HTTP connection to end; a balancer's kept-alive upstream connection
    // busy with a request would hold it up to the keep-alive timeout and past the grace period.
    // Idle ones go at once; busy ones get a second to finish their answer.
    httpServer.closeIdleConnections();
    const force = setTimeout(() => httpServer.closeAllConnections(), 1_000);
    await closed;
    clearTimeout(force);
    s.exercises.close();
    await s.journalWatch.stop();
    // Rooms commit what is queued before closing (DocumentRoom.close awaits its durability).
    await s.rooms.closeAll();
    await s.snapshots.close();
    // Departures gathered before the shutdown began (those it causes are not recorded).
    await s.visits.flush();
    await s.security.close();
    await s.checkpoints.stop();
    await s.fanout.close();
    await s.store.close();
  };
  const close = () => {
    state.shuttingDown = true;
    return (closing ??= finish());
  };
  const drain = (graceMs: number) => {
    state.shuttingDown = true;
    return (closing ??= (async () => {
      state.draining = true;
      // No new TCP connection from here on; those open finish what they carry.
      httpServer.close();
      const spread = Math.min(DRAIN_SPREAD_MAX_MS, graceMs / 4);
      const left = await drainSockets(io, spread, Math.min(spread + 1_000, graceMs / 2));
      s.logger.info({ left }, 'drained: clients told to reconnect elsewhere; closing');
      await finish();
    })());
  };
  return { close, drain };
}

/**
 * The composition root: builds every service of a node (storage, fan-out, rooms, accounts,
 * policy, audit, timeline, handover…), mounts every route and socket handler, and starts listening.
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  let publicUrl = config.publicUrl ?? '';
  const holder: IoHolder = { io: null };
  const s = await buildServices(config, overrides, holder, () => publicUrl);
  const httpServer = http.createServer();
  const io = createSocketServer(httpServer);
  holder.io = io;
  const state: RunState = { draining: false, shuttingDown: false };
  attachSockets(config, s, io, state);
  listenHttp(config, s, httpServer, state, overrides.webRoot ?? config.webRoot);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  publicUrl ||= `http://localhost:${port}`;
  const setupUrl = await s.security.auth.setup.bootstrap();
  s.logger.info({ url, storage: s.store.kind, fanout: s.fanout.kind }, 'crisis-cell server listening');

  const { nodeId, store, fanout, rooms, incidents, checkpoints, timeline, handover, visits, logger, security } = s;
  return { url, port, nodeId, io, store, fanout, rooms, incidents, checkpoints, timeline, handover, visits, logger, security, setupUrl, ...stopping(s, httpServer, io, state) };
}
