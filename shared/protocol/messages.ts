import { z } from 'zod';
import { DocNameSchema } from '../model/parts';
import { ID_PATTERN } from '../model/ids';
import { ERROR_CODES, ErrorCode, SESSION_END_CODES, SessionEndCode } from './errors';

/**
 * The socket.io wire contract. Event names and payload schemas live here only; both the
 * server and the client SDK import them. See docs/PROTOCOL.md for the sequence of messages.
 */
export const EVENTS = {
  join: 'doc:join',
  leave: 'doc:leave',
  update: 'doc:update',
  awareness: 'doc:awareness',
  error: 'doc:error',
  /** Server → client: access ended on purpose, with a reason (`SessionEndSchema`); do not reconnect. */
  sessionEnd: 'session:end',
  /** Server → client: this node is stopping; reconnect (elsewhere) after the delay given (`DrainNoticeSchema`). */
  draining: 'server:draining',
} as const;

/** socket.io hands binary to Node as Buffer and to browsers as ArrayBuffer; both become Uint8Array. */
export const BytesSchema = z
  .union([z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)])
  .transform((b) => (b instanceof Uint8Array ? b : new Uint8Array(b)));

/**
 * Who connects is established by the server from credentials, never from a name the client
 * states: an API token here (scripts, the Node SDK), or else the session cookie the browser
 * sends with the handshake. See docs/SECURITY.md.
 */
export const HandshakeAuthSchema = z
  .object({
    token: z.string().min(1).max(200).optional(),
    /** Protocol version the client speaks; the server refuses versions it does not know. */
    protocol: z.literal(1).default(1),
  })
  .strict();
export type HandshakeAuth = z.input<typeof HandshakeAuthSchema>;

export const JoinRequestSchema = z
  .object({
    doc: DocNameSchema,
    /** The client's Yjs state vector: the server answers with what the client lacks. */
    stateVector: BytesSchema,
    /**
     * Encodings of a large answer the client can read (`JOIN_ENCODINGS`); names the server does
     * not know are ignored, so a client may list newer ones. Absent: plain bytes, as always.
     */
    accept: z.array(z.string().max(40)).max(8).optional(),
    /**
     * The Yjs client id the client's copy writes under (`doc.clientID`, a uint32). A writing
     * member's is bound to them at join, so their first edit does not wait for the binding;
     * ignored for a reader (docs/PROTOCOL.md, "Client id at join").
     */
    clientId: z.number().int().min(0).max(0xffff_ffff).optional(),
  })
  .strict();
export type JoinRequest = z.input<typeof JoinRequestSchema>;

/**
 * Encodings of a join answer's updates (docs/PROTOCOL.md, "Compressed join answers"):
 * `deflate-raw` is one element in `updates`, the raw DEFLATE (RFC 1951) of the updates framed
 * by `shared/protocol/joinEncoding.ts`.
 */
export const JOIN_ENCODINGS = ['deflate-raw'] as const;
export type JoinEncoding = (typeof JOIN_ENCODINGS)[number];

export interface JoinReply {
  ok: true;
  /** Updates the client lacks, applied in order; stored bytes are served as they are. */
  updates: Uint8Array[];
  /** Set when `updates` is one compressed element (only if the request's `accept` named it). */
  encoding?: JoinEncoding;
  /** The server's state vector: the client answers with an update of what the server lacks. */
  stateVector: Uint8Array;
  /** Sequence number of the last journal record the server had when it answered. */
  seq: number;
  /** Awareness states of the others in the document. */
  awareness: Uint8Array | null;
  /** The server's clock, so clients stamp recorded times on the server's time line. */
  serverTime: string;
}

export const UpdateRequestSchema = z
  .object({
    doc: DocNameSchema,
    update: BytesSchema,
  })
  .strict();
export type UpdateRequest = z.input<typeof UpdateRequestSchema>;

export interface UpdateAck {
  ok: true;
  /** Journal sequence number of the record that made the update durable (0 when it added nothing new). */
  seq: number;
}

/** Server → client broadcast of a durable update. */
export interface UpdateBroadcast {
  doc: string;
  update: Uint8Array;
  seq: number;
}

export const LeaveRequestSchema = z.object({ doc: DocNameSchema }).strict();

export const AwarenessMessageSchema = z
  .object({
    doc: DocNameSchema,
    update: BytesSchema,
  })
  .strict();
export type AwarenessMessage = z.input<typeof AwarenessMessageSchema>;

export interface ErrorReply {
  ok: false;
  error: { code: ErrorCode; message: string; details?: unknown };
}

export type Reply<T> = T | ErrorReply;

export const ErrorReplySchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.enum(Object.values(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const UpdateAckSchema = z.union([z.object({ ok: z.literal(true), seq: z.number().int().nonnegative() }), ErrorReplySchema]);

export const JoinReplySchema = z.union([
  z.object({
    ok: z.literal(true),
    updates: z.array(BytesSchema),
    encoding: z.enum(JOIN_ENCODINGS).optional(),
    stateVector: BytesSchema,
    seq: z.number().int().nonnegative(),
    awareness: BytesSchema.nullable(),
    serverTime: z.string(),
  }),
  ErrorReplySchema,
]);

/** Server → client `session:end`: the reason the server ends access, sent before it acts. */
export const SessionEndSchema = z.object({
  code: z.enum(Object.values(SESSION_END_CODES) as [SessionEndCode, ...SessionEndCode[]]),
  message: z.string().max(500),
  /** Set for REMOVED_FROM_INCIDENT: the incident whose documents were left. */
  incidentId: z.string().regex(ID_PATTERN).optional(),
});
export type SessionEnd = z.infer<typeof SessionEndSchema>;

/** Longest delay a drain notice may ask for; a client caps what it is told at this. */
export const MAX_DRAIN_DELAY_MS = 30_000;

/**
 * Server → client `server:draining`: the node is stopping (SIGTERM). The client disconnects after
 * `reconnectAfterMs` (jittered per socket by the server, so a whole cell does not reconnect at
 * once) and reconnects, reaching another node behind a balancer. The node disconnects whoever is
 * still there when its drain ends.
 */
export const DrainNoticeSchema = z.object({ reconnectAfterMs: z.number().int().min(0).max(MAX_DRAIN_DELAY_MS) });
export type DrainNotice = z.infer<typeof DrainNoticeSchema>;
