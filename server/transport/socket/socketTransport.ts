import * as Y from 'yjs';
import { encodeBroadcastBytes } from '../../../shared/protocol/broadcastBytes';
import type { Server, Socket } from 'socket.io';
import {
  AwarenessMessageSchema,
  EVENTS,
  JoinReply,
  JoinRequestSchema,
  LeaveRequestSchema,
  UpdateRequestSchema,
} from '../../../shared/protocol/messages';
import { parseDocName } from '../../../shared/model/parts';
import type { DocName } from '../../../shared/model/parts';
import { AppError, badInput } from '../../errors';
import type { Logger } from '../../logger';
import type { RoomRegistry } from '../../documents/roomRegistry';
import type { RoomDelivery } from '../../documents/room';
import type { SocketAccess } from '../../policy/socketAccess';
import { TokenBucket } from '../../auth/socket/tokenBucket';
import { Ack, errorReply, splitAck } from './reply';
import { session } from './socketSession';
import { RefusalBackoff } from './refusalBackoff';
import { PublishedViews, publishedChannel } from '../../reports/publishedView';

interface Deps {
  io: Server;
  rooms: RoomRegistry;
  logger: Logger;
  /** Who may do what (server/policy); the handshake itself is authenticated by server/auth. */
  access: SocketAccess;
  rate: { perSecond: number; burst: number };
  /** Told when a socket leaves a document it had joined (leave message or disconnect), with its user id. */
  onLeft?: (doc: DocName, userId: string) => void;
  /** The published views of reports documents, served to readers without draft rights (none: they get the document). */
  publishedViews?: PublishedViews;
}

/** The only events a client may send; anything else (including anything meant for node-to-node traffic) is refused. */
const CLIENT_EVENTS: readonly string[] = [EVENTS.join, EVENTS.update, EVENTS.awareness, EVENTS.leave];
/** Messages refused for rate in a row before the connection is dropped: a client that ignores RATE_LIMITED is flooding. */
const MAX_RATE_REFUSALS = 5_000;

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
 * The socket.io edge: parses every message with the shared zod schemas, hands it to the room,
 * and answers through the ack callback. Nothing reaches a room unparsed.
 */
export function attachSocketTransport({ io, rooms, logger, access, rate, onLeft, publishedViews }: Deps): void {
  io.on('connection', (socket: Socket) => {
    const s = session(socket);
    s.joined = new Set();
    s.audit = { incidentsJoined: new Set(), refused: 0 };
    s.leaveIncident = async (incidentId) => {
      const docs = [...s.joined].filter((doc) => parseDocName(doc).incidentId === incidentId);
      for (const doc of docs) {
        s.joined.delete(doc);
        await socket.leave(doc);
        await socket.leave(publishedChannel(doc));
        await leaveRoom(doc);
      }
    };
    const bucket = new TokenBucket(rate.perSecond, rate.burst);
    const backoff = new RefusalBackoff(socket);
    let rateRefusals = 0;

    // Every incoming message passes here first: the rate budget, then the list of known events.
    socket.use((packet, next) => {
      const [event, ...rest] = packet as unknown as [unknown, ...unknown[]];
      const { ack } = splitAck(rest);
      if (!bucket.take()) {
        rateRefusals += 1;
        if (rateRefusals === 1) access.rateLimited(s);
        if (rateRefusals > MAX_RATE_REFUSALS) socket.disconnect(true);
        else respondError(socket, ack, errorReply(new AppError('RATE_LIMITED', 'too many messages: slow down'), logger, { socket: socket.id }));
        return;
      }
      rateRefusals = 0;
      if (typeof event !== 'string' || !CLIENT_EVENTS.includes(event)) {
        respondError(socket, ack, errorReply(new AppError('BAD_MESSAGE', `unknown event ${JSON.stringify(event)?.slice(0, 80) ?? ''}`), logger, { socket: socket.id }));
        return;
      }
      next();
    });

    const handle = (event: string, fn: (payload: unknown) => Promise<unknown>) => {
      socket.on(event, (...args: unknown[]) => {
        const { payload, ack } = splitAck(args);
        fn(payload).then(
          (reply) => ack?.(reply),
          (err: unknown) => {
            const reply = errorReply(err, logger, { event, socket: socket.id });
            if (event === EVENTS.update) access.refusedUpdate(s, docOf(payload), reply.error, bytesOf(payload), s.audit);
            if (event === EVENTS.update && reply.error.code === 'QUOTA_EXCEEDED') backoff.refused();
            respondError(socket, ack, reply);
          },
        );
      });
    };

    // Updates of one connection are admitted one after the other (a first use of a client id
    // waits for the database), so they apply in the order sent; durability is awaited apart.
    let admitted: Promise<unknown> = Promise.resolve();
    const inOrder = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = admitted.then(fn, fn);
      admitted = run.catch(() => undefined);
      return run;
    };

    handle(EVENTS.join, async (payload) => {
      const req = parse(JoinRequestSchema, payload);
      checkStateVector(req.stateVector);
      const grant = await access.join(s, req.doc, s.audit, s.joined);
      const room = await rooms.get(req.doc);
      if (socket.disconnected) throw new AppError('NOT_JOINED', 'disconnected');
      // A reader without draft rights gets the published view (its own broadcast room), never the document.
      const view = grant.published && publishedViews ? publishedViews.of(room) : null;
      // Join the broadcast room before reading the state, so no commit falls between the two.
      // The room's own name, so thousands of sockets share one string rather than each its copy.
      await socket.join(view ? publishedChannel(room.name) : room.name);
      // Joined before as a member (since demoted): the document's own broadcasts carry drafts.
      if (view) await socket.leave(room.name);
      s.joined.add(room.name);
      room.sessions.add(socket.id);
      const state = view ? { ...view.join(req.stateVector), seq: room.seq } : room.join(req.stateVector);
      const reply: JoinReply = { ok: true, ...state, awareness: room.presence.snapshot(), serverTime: new Date().toISOString() };
      return reply;
    });

    handle(EVENTS.update, async (payload) => {
      const req = parse(UpdateRequestSchema, payload);
      const { durable } = await inOrder(async () => access.update(s, await joinedRoom(req.doc), req.update, socket.id));
      backoff.accepted();
      return { ok: true, seq: await durable };
    });

    handle(EVENTS.awareness, async (payload) => {
      const req = parse(AwarenessMessageSchema, payload);
      const room = await joinedRoom(req.doc);
      await access.awareness(s, room, req.update);
      room.applyAwareness(req.update, socket.id);
      return { ok: true };
    });

    handle(EVENTS.leave, async (payload) => {
      const req = parse(LeaveRequestSchema, payload);
      if (s.joined.delete(req.doc)) {
        await socket.leave(req.doc);
        await socket.leave(publishedChannel(req.doc));
        await leaveRoom(req.doc);
      }
      return { ok: true };
    });

    socket.on('disconnect', () => {
      backoff.close();
      for (const doc of s.joined) void leaveRoom(doc);
      s.joined.clear();
      access.disconnected(s, s.audit);
    });
    // Packets the socket.io parser refuses (e.g. too many attachments) end the connection; say why in the log.
    socket.on('error', (err) => logger.debug({ socket: socket.id, err: String(err) }, 'connection dropped on a protocol error'));

    async function joinedRoom(doc: DocName) {
      if (!s.joined.has(doc)) throw new AppError('NOT_JOINED', `join ${doc} before sending to it`);
      return rooms.peek(doc) ?? rooms.get(doc);
    }

    async function leaveRoom(doc: DocName) {
      onLeft?.(doc, s.principal.user.id);
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

/** A state vector that does not decode would fail deep inside Yjs; refuse it here as what it is. */
function checkStateVector(sv: Uint8Array): void {
  try {
    Y.decodeStateVector(sv);
  } catch (cause) {
    throw new AppError('BAD_MESSAGE', 'the state vector could not be decoded', undefined, cause);
  }
}

function docOf(payload: unknown): DocName | null {
  const doc = (payload as { doc?: unknown } | null)?.doc;
  const parsed = JoinRequestSchema.shape.doc.safeParse(doc);
  return parsed.success ? parsed.data : null;
}

function bytesOf(payload: unknown): number {
  const update = (payload as { update?: unknown } | null)?.update;
  return update instanceof Uint8Array ? update.length : update instanceof ArrayBuffer ? update.byteLength : 0;
}

function respondError(socket: Socket, ack: Ack | null, reply: ReturnType<typeof errorReply>): void {
  if (ack) ack(reply);
  else socket.emit(EVENTS.error, reply.error);
}
