import type { IncomingMessage } from 'node:http';
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
  // One listener for every socket (socket.io calls it on the socket): no closure per connection.
  const onProtocolError = function (this: Socket, err: unknown) {
    deps.logger.debug({ socket: this.id, err: String(err) }, 'connection dropped on a protocol error');
  };
  io.on('connection', (socket: Socket) => {
    // Set by the authentication middleware (server/auth/socket/socketAuth.ts) before any connection.
    const identity = socket.data as SocketIdentity;
    const session = new ConnectionSession(new SocketIoSessionSocket(socket), identity, deps);
    // What the connection registry (server/auth/socket) reads to end access whose right ended.
    Object.assign(socket.data, { joined: session.joined, leaveIncident: (incidentId: string) => session.leaveIncident(incidentId) });
    // Packets the socket.io parser refuses (e.g. too many attachments) end the connection; say why in the log.
    socket.on('error', onProtocolError);
    forgetRequest(socket);
  });
}

/**
 * The HTTP upgrade request and its headers are read by the authentication middleware, before the
 * connection; after it nobody does, yet engine.io keeps the request (its raw headers, its parser
 * state) and socket.io the headers for the connection's life: about 2 KB per idle socket (socket.io's
 * own memory guide says to drop the request). The client's address is kept in the identity.
 */
function forgetRequest(socket: Socket): void {
  const conn = socket.conn as { request: IncomingMessage | null };
  // engine.io's upgrade response keeps a reference to the request too: empty its headers as well.
  if (conn.request) {
    conn.request.rawHeaders.length = 0;
    conn.request.headers = {};
  }
  conn.request = null;
  (socket.handshake as { headers: Record<string, unknown> }).headers = {};
}

/**
 * A socket.io connection as the session's `SessionSocket`: methods on one prototype rather than
 * a dozen closures per connection (thousands of idle watchers pay for each).
 */
class SocketIoSessionSocket implements SessionSocket {
  constructor(private readonly socket: Socket) {}

  get id(): string {
    return this.socket.id;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  emit(event: string, payload: unknown): void {
    this.socket.emit(event, payload);
  }

  /** Every incoming packet, known event or not, goes to the session; none reaches socket.io's own handlers. */
  onMessage(handler: (event: unknown, payload: unknown, reply: Reply | null) => void): void {
    this.socket.use((packet) => {
      const [event, ...args] = packet as unknown as [unknown, ...unknown[]];
      const last = args[args.length - 1];
      // socket.io passes the ack callback last; a client that sent none gets errors as an event.
      const reply = typeof last === 'function' ? (last as Reply) : null;
      handler(event, args[0], reply);
    });
  }

  onClose(handler: () => void): void {
    this.socket.on('disconnect', handler);
  }

  subscribe(channel: string): Promise<void> | void {
    return this.socket.join(channel);
  }

  unsubscribe(channel: string): Promise<void> | void {
    return this.socket.leave(channel);
  }

  pauseReads(): boolean {
    const ws = websocketOf(this.socket);
    ws?.pause();
    return ws !== null;
  }

  resumeReads(): void {
    websocketOf(this.socket)?.resume();
  }

  disconnect(): void {
    this.socket.disconnect(true);
  }
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
