import type { Server, Socket } from 'socket.io';
import { encodeBroadcastBytes } from '../../../shared/protocol/broadcastBytes';
import { EVENTS } from '../../../shared/protocol/messages';
import type { SocketIdentity } from '../../auth/socket/socketAuth';
import type { RoomDelivery } from '../../documents/room';
import { ConnectionSession, type SessionDeps } from '../../session/connectionSession';
import type { Reply, SessionSocket } from '../../session/sessionSocket';

/** Delivery of durable updates and presence to this node's sockets (never across nodes: fan-out does that). */
export function socketDelivery(io: () => Server): RoomDelivery {
  return {
    update(doc, update, seq, exceptSession) {
      const target = io().local.to(doc);
      (exceptSession ? target.except(exceptSession) : target).emit(EVENTS.update, { doc, update: encodeBroadcastBytes(update), seq });
    },
    awareness(doc, update, exceptSession) {
      const target = io().local.to(doc);
      (exceptSession ? target.except(exceptSession) : target).emit(EVENTS.awareness, { doc, update: encodeBroadcastBytes(update) });
    },
  };
}

/**
 * The socket.io edge, and nothing more: each connection gets a `ConnectionSession`
 * (server/session), which does the work; this adapter only translates socket.io's packets,
 * rooms and websocket into the session's `SessionSocket`.
 */
export function attachSocketTransport(io: Server, deps: SessionDeps): void {
  io.on('connection', (socket: Socket) => {
    // Set by the authentication middleware (server/auth/socket/socketAuth.ts) before any connection.
    const identity = socket.data as SocketIdentity;
    const session = new ConnectionSession(sessionSocketOf(socket), identity, deps);
    // What the connection registry (server/auth/socket) reads to end access whose right ended.
    Object.assign(socket.data, { joined: session.joined, leaveIncident: (incidentId: string) => session.leaveIncident(incidentId) });
    // Packets the socket.io parser refuses (e.g. too many attachments) end the connection; say why in the log.
    socket.on('error', (err) => deps.logger.debug({ socket: socket.id, err: String(err) }, 'connection dropped on a protocol error'));
  });
}

function sessionSocketOf(socket: Socket): SessionSocket {
  return {
    id: socket.id,
    get connected() {
      return socket.connected;
    },
    emit: (event, payload) => void socket.emit(event, payload),
    // Every incoming packet, known event or not, goes to the session; none reaches socket.io's own handlers.
    onMessage: (handler) =>
      socket.use((packet) => {
        const [event, ...args] = packet as unknown as [unknown, ...unknown[]];
        const last = args[args.length - 1];
        // socket.io passes the ack callback last; a client that sent none gets errors as an event.
        const reply = typeof last === 'function' ? (last as Reply) : null;
        handler(event, args[0], reply);
      }),
    onClose: (handler) => void socket.on('disconnect', () => handler()),
    subscribe: (channel) => socket.join(channel),
    unsubscribe: (channel) => socket.leave(channel),
    pauseReads: () => {
      const ws = websocketOf(socket);
      ws?.pause();
      return ws !== null;
    },
    resumeReads: () => websocketOf(socket)?.resume(),
    disconnect: () => void socket.disconnect(true),
  };
}

/** The part of a websocket that can stop reading (ws' `pause()`/`resume()`). */
interface PausableStream {
  pause(): void;
  resume(): void;
}

/** The connection's websocket, if its transport has one that can stop reading. */
function websocketOf(socket: Socket): PausableStream | null {
  const transport: unknown = socket.conn.transport;
  const ws = (transport as { socket?: unknown } | null)?.socket;
  if (ws && typeof (ws as PausableStream).pause === 'function' && typeof (ws as PausableStream).resume === 'function') return ws as PausableStream;
  return null;
}
