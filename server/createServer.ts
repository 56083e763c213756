import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { newId } from '../shared/model/ids';
import { LIMITS } from '../shared/protocol/limits';
import type { Config } from './config';
import { createLogger, Logger } from './logger';
import type { DocumentStore } from './storage/documentStore';
import type { Fanout } from './fanout/fanout';
import { openStore } from './storage/openStore';
import { openFanout } from './fanout/openFanout';
import { RoomRegistry } from './documents/roomRegistry';
import { IncidentService } from './incidents/incidentService';
import { createMetrics } from './metrics';
import { createHttpApp } from './transport/http/httpApp';
import { attachSocketTransport, socketDelivery } from './transport/socket/socketTransport';

export interface RunningServer {
  url: string;
  port: number;
  nodeId: string;
  io: Server;
  store: DocumentStore;
  fanout: Fanout;
  rooms: RoomRegistry;
  incidents: IncidentService;
  logger: Logger;
  close(): Promise<void>;
}

/** Backends a caller may supply instead of opening them from the config (tests, in-process clusters). */
export interface ServerOverrides {
  store?: DocumentStore;
  fanout?: Fanout;
  webRoot?: string;
}

/** Wires transport, documents, storage and fan-out together and starts listening. */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const nodeId = config.nodeId ?? `node-${newId().slice(0, 8)}`;
  const logger = createLogger(config.logLevel, nodeId);
  const store = overrides.store ?? (await openStore(config, logger));
  const fanout = overrides.fanout ?? (await openFanout(config, nodeId, logger));

  const httpServer = http.createServer();
  let io: Server | null = null;
  const getIo = () => io!;
  let incidents: IncidentService | null = null;
  const metricsHolder = { connections: () => io?.engine.clientsCount ?? 0, documents: () => rooms.loaded().length };
  const metrics = createMetrics(metricsHolder);
  const rooms = new RoomRegistry(
    {
      store,
      fanout,
      logger,
      metrics: metrics.room,
      delivery: socketDelivery(getIo),
      onCommitted: (room, records) => incidents?.onCommitted(room, records),
    },
    config.roomIdleSeconds * 1000,
  );
  incidents = new IncidentService(store, rooms);
  fanout.onResync(() => {
    for (const room of rooms.loaded()) void room.catchUp().catch(() => undefined);
  });

  io = new Server(httpServer, {
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
  attachSocketTransport({ io, rooms, incidents, logger });

  const app = createHttpApp({
    incidents,
    logger,
    metrics: metrics.registry,
    webRoot: overrides.webRoot ?? config.webRoot,
    health: () => ({ node: nodeId, storage: store.kind, fanout: fanout.kind, documents: rooms.loaded().length }),
  });
  httpServer.on('request', app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, storage: store.kind, fanout: fanout.kind }, 'crisis-cell server listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      io!.disconnectSockets(true);
      await new Promise<void>((resolve) => io!.close(() => resolve()));
      await rooms.closeAll();
      await fanout.close();
      await store.close();
    })());

  return { url, port, nodeId, io, store, fanout, rooms, incidents, logger, close };
}
