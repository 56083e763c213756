import * as Y from 'yjs';
import type { z, ZodTypeAny } from 'zod';
import {
  AwarenessMessageSchema,
  EVENTS,
  ErrorReply,
  JoinReply,
  JoinRequestSchema,
  LeaveRequestSchema,
  UpdateRequestSchema,
} from '../../shared/protocol/messages';
import { parseDocName, type DocName } from '../../shared/model/parts';
import { quickSafeParse } from '../../shared/model/quickParse';
import { AppError, badInput, toWireError } from '../errors';
import type { Logger } from '../logger';
import type { SocketIdentity } from '../auth/socket/socketAuth';
import type { DocumentRoom } from '../documents/room';
import { deflatedAnswers } from '../documents/joinAnswers';
import type { RoomRegistry } from '../documents/roomRegistry';
import type { AuditCounters, SocketAccess } from '../policy/socketAccess';
import { PublishedViews, publishedChannel } from '../reports/publishedView';
import { RefusalBackoff } from './refusalBackoff';
import type { Reply, SessionSocket } from './sessionSocket';
import { TokenBucket } from './tokenBucket';
import { type StageSink, UpdateStages } from '../documents/updateStages';

export interface SessionDeps {
  rooms: RoomRegistry;
  /** Who may do what (server/policy); the handshake itself is authenticated by server/auth. */
  access: SocketAccess;
  logger: Logger;
  /** Each connection's rate budget: `burst` messages at once, refilled at `perSecond`. */
  rate: { perSecond: number; burst: number };
  /** The published views of reports documents, served to readers without draft rights (none: they get the document). */
  publishedViews?: PublishedViews;
  /** Told when the session leaves a document it had joined (leave message, lost access, disconnect), with its user id. */
  onLeft?: (doc: DocName, userId: string) => void;
  /** Where the stage times of each update go (server/metrics.ts); none, no clock. */
  stages?: StageSink;
}

/**
 * Client ids one connection may have bound at join (those not bound already): an honest client
 * names one per document it joins, six per incident, and again after a reload. Each is a row.
 */
export const MAX_JOIN_BINDINGS = 256;

/** Messages refused for rate in a row before the connection is dropped: a client that ignores RATE_LIMITED is flooding. */
const MAX_RATE_REFUSALS = 5_000;

type Handler = (session: ConnectionSession, payload: unknown, stages: UpdateStages | undefined) => Promise<unknown>;

/**
 * The only events a client may send; anything else (including anything meant for node-to-node
 * traffic) is refused. One table for every connection: with thousands of sockets, a map of
 * closures per session is memory for nothing.
 */
const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [EVENTS.join, (s, p) => s.join(p)],
  [EVENTS.update, (s, p, stages) => s.update(p, stages)],
  [EVENTS.awareness, (s, p) => s.awareness(p)],
  [EVENTS.leave, (s, p) => s.leave(p)],
]);

/**
 * One connection, from its authenticated handshake to its end: the documents it joined, its rate
 * budget, the slowing-down of a sender whose updates keep being refused, and the order in which
 * its updates are admitted. Every message is taken out of the budget, parsed with the shared zod
 * schemas, checked by the policy (`SocketAccess`) and handed to the room; the answer goes back
 * through the message's ack (an `doc:error` event when the client asked for none). Nothing here
 * knows socket.io: the socket is the narrow `SessionSocket`.
 */
export class ConnectionSession {
  /** The documents joined; the connection registry (server/auth/socket) reads it to end access. */
  readonly joined = new Set<DocName>();
  private readonly audit: AuditCounters = { incidentsJoined: new Set(), refused: 0 };
  private readonly bucket: TokenBucket;
  /** Made on the first refused update: most connections never need one. */
  private backoff: RefusalBackoff | null = null;
  private rateRefusals = 0;
  /** Client ids this connection asked the database to bind at join (bindAtJoin). */
  private joinBindings = 0;
  /** The last update being admitted, if any: the next waits for it, so updates apply in the order sent. */
  private admitted: Promise<unknown> | null = null;

  constructor(
    private readonly socket: SessionSocket,
    readonly identity: SocketIdentity,
    private readonly deps: SessionDeps,
  ) {
    this.bucket = new TokenBucket(deps.rate.perSecond, deps.rate.burst);
    socket.onMessage((event, payload, reply) => this.receive(event, payload, reply));
    socket.onClose(() => this.closed());
  }

  get id(): string {
    return this.socket.id;
  }

  /** Leaves every document of an incident this session joined (its access to the incident ended). */
  async leaveIncident(incidentId: string): Promise<void> {
    const docs = [...this.joined].filter((doc) => parseDocName(doc).incidentId === incidentId);
    for (const doc of docs) await this.leaveDoc(doc);
  }

  /** Every message passes here first: the rate budget, then the list of known events. */
  private receive(event: unknown, payload: unknown, reply: Reply | null): void {
    if (!this.bucket.take()) {
      this.rateRefusals += 1;
      if (this.rateRefusals === 1) this.deps.access.rateLimited(this.identity);
      if (this.rateRefusals > MAX_RATE_REFUSALS) this.socket.disconnect();
      else this.refuse(reply, this.errorReply(new AppError('RATE_LIMITED', 'too many messages: slow down'), {}));
      return;
    }
    this.rateRefusals = 0;
    const handler = typeof event === 'string' ? HANDLERS.get(event) : undefined;
    if (!handler) {
      this.refuse(reply, this.errorReply(new AppError('BAD_MESSAGE', `unknown event ${JSON.stringify(event)?.slice(0, 80) ?? ''}`), {}));
      return;
    }
    const stages = event === EVENTS.update && this.deps.stages ? new UpdateStages(this.deps.stages) : undefined;
    handler(this, payload, stages).then(
      (answer) => {
        reply?.(answer);
        stages?.mark('acked');
      },
      (err: unknown) => {
        const answer = this.errorReply(err, { event });
        if (event === EVENTS.update) this.updateRefused(payload, answer);
        this.refuse(reply, answer);
      },
    );
  }

  /** A `join` message, from `receive` through HANDLERS (not for other callers). */
  async join(payload: unknown): Promise<JoinReply> {
    const req = parse(JoinRequestSchema, payload);
    checkStateVector(req.stateVector);
    const grant = await this.deps.access.join(this.identity, req.doc, this.audit, this.joined);
    const room = await this.deps.rooms.get(req.doc);
    if (!this.socket.connected) throw new AppError('NOT_JOINED', 'disconnected');
    // A reader without draft rights gets the published view (its own broadcast channel), never the document.
    const view = grant.published && this.deps.publishedViews ? this.deps.publishedViews.of(room) : null;
    // In the background: the answer never waits for the database (nor lets a broadcast overtake it).
    if (req.clientId !== undefined && grant.writes && !view && !room.storageDown) this.bindAtJoin(room, req.clientId);
    // Subscribe before reading the state, so no commit falls between the two. The room's own
    // name, so thousands of sockets share one string rather than each its copy.
    await this.socket.subscribe(view ? publishedChannel(room.name) : room.name);
    // Joined before as a member (since demoted): the document's own broadcasts carry drafts.
    if (view) await this.socket.unsubscribe(room.name);
    this.joined.add(room.name);
    room.sessions.add(this.socket.id);
    const state = view ? { ...view.join(req.stateVector), seq: room.seq } : room.join(req.stateVector);
    // A published view is encoded per joiner (few, small): only the room's shared answers are deflated.
    const pending = !view && req.accept?.includes('deflate-raw') ? deflatedAnswers.of(state.updates) : null;
    const deflated = pending && (await pending);
    // Broadcasts may reach the socket before this answer (subscribed above): a client that
    // accepts compression holds them until the answer is applied (docs/PROTOCOL.md).
    const answer = deflated ? { updates: [deflated], encoding: 'deflate-raw' as const } : { updates: state.updates };
    return { ok: true, ...state, ...answer, awareness: room.presence.snapshot(), serverTime: new Date().toISOString() };
  }

  /**
   * Binds the client id a writer joined with, so their first edit finds it bound (an edit that
   * comes first claims it itself, for the same user). At most MAX_JOIN_BINDINGS asked of the
   * database per connection: an honest client names one per document it joins. Never fails the
   * join: an id already someone else's is refused at the first edit under it, as ever, and one
   * that could not be stored is claimed by that edit.
   */
  private bindAtJoin(room: DocumentRoom, client: number): void {
    if (this.joinBindings >= MAX_JOIN_BINDINGS) return;
    const binding = this.deps.access.bindAtJoin(this.identity, room, client);
    if (!binding) return;
    this.joinBindings += 1;
    binding.catch((err: unknown) => {
      // Debug: while the database is away every reconnecting writer lands here, and its first edit reports the outage.
      this.deps.logger.debug({ doc: room.name, err: String(err) }, 'the client id named at join could not be bound: its first edit will claim it');
    });
  }

  /** A `update` message, from `receive` through HANDLERS (not for other callers). */
  async update(payload: unknown, stages: UpdateStages | undefined): Promise<{ ok: true; seq: number }> {
    const req = parse(UpdateRequestSchema, payload);
    // Admitted one after the other (a first use of a client id waits for the database), so they
    // apply in the order sent; durability is awaited apart, so commits still group.
    const { durable } = await this.inOrder(async () => this.deps.access.update(this.identity, await this.joinedRoom(req.doc), req.update, this.socket.id, stages));
    this.backoff?.accepted();
    return { ok: true, seq: await durable };
  }

  /** A `awareness` message, from `receive` through HANDLERS (not for other callers). */
  async awareness(payload: unknown): Promise<{ ok: true }> {
    const req = parse(AwarenessMessageSchema, payload);
    const room = await this.joinedRoom(req.doc);
    await this.deps.access.awareness(this.identity, room, req.update);
    room.applyAwareness(req.update, this.socket.id);
    return { ok: true };
  }

  /** A `leave` message, from `receive` through HANDLERS (not for other callers). */
  async leave(payload: unknown): Promise<{ ok: true }> {
    const req = parse(LeaveRequestSchema, payload);
    await this.leaveDoc(req.doc);
    return { ok: true };
  }

  private closed(): void {
    this.backoff?.close();
    for (const doc of this.joined) void this.leaveRoom(doc);
    this.joined.clear();
    this.deps.access.disconnected(this.identity, this.audit);
  }

  /** Runs `fn` once the update before it is admitted; with none in progress, at once (a lone writer waits for no turn). */
  private inOrder<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.admitted ? this.admitted.then(fn, fn) : fn();
    const done = () => {
      if (this.admitted === settled) this.admitted = null;
    };
    const settled: Promise<unknown> = run.then(done, done);
    this.admitted = settled;
    return run;
  }

  private async joinedRoom(doc: DocName): Promise<DocumentRoom> {
    if (!this.joined.has(doc)) throw new AppError('NOT_JOINED', `join ${doc} before sending to it`);
    return this.deps.rooms.peek(doc) ?? this.deps.rooms.get(doc);
  }

  private async leaveDoc(doc: DocName): Promise<void> {
    if (!this.joined.delete(doc)) return;
    await this.socket.unsubscribe(doc);
    await this.socket.unsubscribe(publishedChannel(doc));
    await this.leaveRoom(doc);
  }

  private async leaveRoom(doc: DocName): Promise<void> {
    this.deps.onLeft?.(doc, this.identity.principal.user.id);
    const room = await this.deps.rooms.get(doc).catch(() => null);
    room?.removeSession(this.socket.id);
    this.deps.rooms.scheduleIdleCheck(doc);
  }

  /** A refused update is audited (capped per connection); refused for budget, it slows the reading down. */
  private updateRefused(payload: unknown, answer: ErrorReply): void {
    this.deps.access.refusedUpdate(this.identity, docOf(payload), answer.error, bytesOf(payload), this.audit);
    if (answer.error.code === 'QUOTA_EXCEEDED') (this.backoff ??= new RefusalBackoff(this.socket)).refused();
  }

  private errorReply(err: unknown, context: Record<string, unknown>): ErrorReply {
    const error = toWireError(err);
    const where = { ...context, socket: this.socket.id };
    if (error.code === 'INTERNAL') this.deps.logger.error({ ...where, err }, 'internal error on a socket message');
    else this.deps.logger.debug({ ...where, code: error.code, message: error.message }, 'refused a socket message');
    return { ok: false, error };
  }

  private refuse(reply: Reply | null, answer: ErrorReply): void {
    if (reply) reply(answer);
    else this.socket.emit(EVENTS.error, answer.error);
  }
}

/** Every message's payload, through its schema's quick parser (zod's walk allocates kilobytes per update). */
function parse<T extends ZodTypeAny>(schema: T, payload: unknown): z.output<T> {
  const result = quickSafeParse(schema, payload);
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
