import type { Server, Socket } from 'socket.io';
import {
  AwarenessMessageSchema,
  EVENTS,
  HandshakeAuthSchema,
  JoinReply,
  JoinRequestSchema,
  LeaveRequestSchema,
  UpdateRequestSchema,
} from '../../../shared/protocol/messages';
import { DocName, parseDocName } from '../../../shared/model/parts';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logger';
import type { RoomRegistry } from '../../documents/roomRegistry';
import type { RoomDelivery } from '../../documents/room';
import type { IncidentService } from '../../incidents/incidentService';
import { AuthoredOrigin } from '../../documents/origins';
import { Ack, errorReply, splitAck } from './reply';
import { SessionData, session } from './socketSession';

interface Deps {
  io: Server;
  rooms: RoomRegistry;
  incidents: IncidentService;
  logger: Logger;
}

/** Delivery of durable updates and presence to this node's sockets (never across nodes: fan-out does that). */
export function socketDelivery(io: () => Server): RoomDelivery {
  return {
    update(doc, update, seq, exceptSession) {
      const target = io().local.to(doc);
      (exceptSession ? target.except(exceptSession) : target).emit(EVENTS.update, { doc, update, seq });
    },
    awareness(doc, update, exceptSession) {
      const target = io().local.to(doc);
      (exceptSession ? target.except(exceptSession) : target).emit(EVENTS.awareness, { doc, update });
    },
  };
}

/**
 * The socket.io edge: parses every message with the shared zod schemas, hands it to the room,
 * and answers through the ack callback. Nothing reaches a room unparsed.
 */
export function attachSocketTransport({ io, rooms, incidents, logger }: Deps): void {
  io.use((socket, next) => {
    const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      next(Object.assign(new Error('UNAUTHENTICATED: a display name is required'), { data: { code: 'UNAUTHENTICATED' } }));
      return;
    }
    const data: SessionData = { author: auth.data.name, joined: new Set() };
    Object.assign(socket.data, data);
    next();
  });

  io.on('connection', (socket: Socket) => {
    const s = session(socket);
    const handle = (event: string, fn: (payload: unknown) => Promise<unknown>) => {
      socket.on(event, (...args: unknown[]) => {
        const { payload, ack } = splitAck(args);
        fn(payload).then(
          (reply) => ack?.(reply),
          (err: unknown) => respondError(socket, ack, errorReply(err, logger, { event, socket: socket.id })),
        );
      });
    };

    handle(EVENTS.join, async (payload) => {
      const req = parse(JoinRequestSchema, payload);
      const { incidentId } = parseDocName(req.doc);
      await incidents.requireIncident(incidentId);
      const room = await rooms.get(req.doc);
      if (socket.disconnected) throw new AppError('NOT_JOINED', 'disconnected');
      // Join the broadcast room before reading the state, so no commit falls between the two.
      await socket.join(req.doc);
      s.joined.add(req.doc);
      room.sessions.add(socket.id);
      const state = room.join(req.stateVector);
      const reply: JoinReply = { ok: true, ...state, awareness: room.presence.snapshot(), serverTime: new Date().toISOString() };
      return reply;
    });

    handle(EVENTS.update, async (payload) => {
      const req = parse(UpdateRequestSchema, payload);
      const room = await joinedRoom(req.doc);
      const seq = await room.applyClientUpdate(req.update, new AuthoredOrigin(s.author, socket.id));
      return { ok: true, seq };
    });

    handle(EVENTS.awareness, async (payload) => {
      const req = parse(AwarenessMessageSchema, payload);
      const room = await joinedRoom(req.doc);
      room.applyAwareness(req.update, socket.id);
      return { ok: true };
    });

    handle(EVENTS.leave, async (payload) => {
      const req = parse(LeaveRequestSchema, payload);
      if (s.joined.delete(req.doc)) {
        await socket.leave(req.doc);
        await leaveRoom(req.doc);
      }
      return { ok: true };
    });

    const handled: string[] = [EVENTS.join, EVENTS.update, EVENTS.awareness, EVENTS.leave];
    socket.onAny((event: string, ...args: unknown[]) => {
      if (handled.includes(event)) return;
      const { ack } = splitAck(args);
      respondError(socket, ack, errorReply(new AppError('BAD_MESSAGE', `unknown event ${JSON.stringify(event).slice(0, 80)}`), logger, { socket: socket.id }));
    });

    socket.on('disconnect', () => {
      for (const doc of s.joined) void leaveRoom(doc);
      s.joined.clear();
    });

    async function joinedRoom(doc: DocName) {
      if (!s.joined.has(doc)) throw new AppError('NOT_JOINED', `join ${doc} before sending to it`);
      return rooms.peek(doc) ?? rooms.get(doc);
    }

    async function leaveRoom(doc: DocName) {
      const room = await rooms.get(doc).catch(() => null);
      room?.removeSession(socket.id);
      rooms.scheduleIdleCheck(doc);
    }
  });
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) throw badInput(result.error, 'BAD_MESSAGE');
  return result.data;
}

function respondError(socket: Socket, ack: Ack | null, reply: ReturnType<typeof errorReply>): void {
  if (ack) ack(reply);
  else socket.emit(EVENTS.error, reply.error);
}
