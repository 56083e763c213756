import * as Y from 'yjs';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { DocName } from '../../shared/model/parts';
import { DrainNoticeSchema, EVENTS, MAX_DRAIN_DELAY_MS, SessionEnd, SessionEndSchema } from '../../shared/protocol/messages';
import { DocSync } from './docSync';
import type { Inflater } from './inflate';
import { IncidentSession } from './incidentSession';

/**
 * live: connected. connecting: first connection under way. reconnecting: the connection ended
 * without a reason from the server (restart, drain, network) and is being restored, for ever.
 * offline: this side chose to disconnect (goOffline, close). ended: the server ended access with
 * a reason (`endReason`); nothing reconnects.
 */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'ended';

export type { SessionEnd } from '../../shared/protocol/messages';

export interface CrisisClientOptions {
  /** Server base URL, e.g. http://localhost:3000 (in the browser, location.origin). */
  url: string;
  /**
   * The logged-in user's display name (GET /api/auth/me), written as the author of records.
   * The server checks it: records under any other name are refused.
   */
  name: string;
  /**
   * An API token (Node scripts, tests): sent in the handshake on every (re)connection. A
   * function is called at each connection, so a token can be fetched or renewed. In the
   * browser leave it out: the session cookie goes with the same-origin handshake.
   */
  token?: string | (() => string | null | Promise<string | null>);
  /** Called when a document is created, before it syncs: the browser attaches IndexedDB here. */
  onDocument?: (name: DocName, doc: Y.Doc) => void | Promise<void>;
  socket?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Inflates compressed join answers (client/sdk/inflate.ts); left out or null, large answers
   * come uncompressed. Worth it on a slow or shared link (a 6.5 MB answer becomes 0.5 MB: the
   * web client on Wi-Fi and 4G passes `defaultInflater()`), a loss on loopback or a fast LAN,
   * where inflating costs more than the bytes saved (measured: docs/PERFORMANCE.md).
   */
  inflater?: Inflater | null;
}

/** Handshake refusals (`connect_error` with `data.code`) that are final: the credentials are no good. */
const FINAL_REFUSALS: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
/** First reconnection attempts after an end socket.io does not retry are spread over at least this. */
const RETRY_SPREAD_MS = 1_000;

/**
 * The SDK's entry point, for the browser and Node alike: one socket.io connection that
 * reconnects by itself after any end the server did not explain, and incident sessions opened
 * over it. socket.io retries transport losses on its own (backoff with jitter); the ends it
 * leaves alone (a server-side disconnect, a handshake refused for "not now") and the drain
 * notice of a stopping node go through a jittered delay here, so a whole cell does not
 * reconnect in the same instant. Only `session:end` stops it.
 */
export class CrisisClient {
  readonly socket: Socket;
  private statusValue: ConnectionStatus = 'connecting';
  private endValue: SessionEnd | null = null;
  private lastContactAt: Date | null = null;
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly sessions = new Set<IncidentSession>();
  private readonly endListeners = new Set<(e: SessionEnd) => void>();
  private readonly endedIncidents = new Map<string, SessionEnd>();
  /** goOffline or close: this side wants no connection. */
  private stayOffline = false;
  /** A disconnect made here to reconnect at once (drain notice), not to stay offline. */
  private cycling = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;

  constructor(readonly options: CrisisClientOptions) {
    this.socket = io(options.url, {
      transports: ['websocket'],
      auth: (cb: (data: object) => void) => {
        Promise.resolve(typeof options.token === 'function' ? options.token() : (options.token ?? null)).then(
          (token) => cb(token ? { protocol: 1, token } : { protocol: 1 }),
          () => cb({ protocol: 1 }),
        );
      },
      withCredentials: true,
      reconnectionDelay: 300,
      reconnectionDelayMax: 3_000,
      randomizationFactor: 0.5,
      // Never give up: a wall screen must come back whenever the server does.
      reconnection: true,
      reconnectionAttempts: Infinity,
      // A caller may still opt out (`reconnection: false`, some tests); then nothing retries.
      ...options.socket,
    });
    const touch = () => {
      this.lastContactAt = new Date();
    };
    this.socket.on('connect', () => {
      this.retries = 0;
      this.clearTimers();
      touch();
      this.setStatus('live');
    });
    this.socket.onAny(touch);
    this.socket.io.on('ping', touch);
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    // Unreachable with unlimited attempts; should it happen anyway, keep trying.
    this.socket.io.on('reconnect_failed', () => this.retrySoon());
    this.socket.on('connect_error', (err: Error & { data?: { code?: unknown; message?: unknown } }) => {
      const code = err.data?.code;
      if (typeof code === 'string' && FINAL_REFUSALS.has(code)) {
        // Refused by the server's authentication: the credentials will not get better by retrying.
        this.end({ code: 'UNAUTHENTICATED', message: typeof err.data?.message === 'string' ? err.data.message : err.message });
        return;
      }
      if (this.statusValue !== 'ended' && this.statusValue !== 'offline') this.setStatus(this.statusValue === 'connecting' ? 'connecting' : 'reconnecting');
      // socket.io retries a transport error itself, but gives up the socket after a refusal by
      // the server's middleware ("not now": accounts unreadable): that one is retried here.
      if (!this.socket.active) this.retrySoon();
    });
    this.socket.on(EVENTS.sessionEnd, (raw: unknown) => {
      const parsed = SessionEndSchema.safeParse(raw);
      if (parsed.success) this.end(parsed.data);
    });
    this.socket.on(EVENTS.draining, (raw: unknown) => {
      const parsed = DrainNoticeSchema.safeParse(raw);
      this.onDraining(parsed.success ? Math.min(parsed.data.reconnectAfterMs, MAX_DRAIN_DELAY_MS) : 0);
    });
  }

  get name(): string {
    return this.options.name;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Why the server ended access (status 'ended'), else null. */
  get endReason(): SessionEnd | null {
    return this.endValue;
  }

  /** Why access to one incident ended (REMOVED_FROM_INCIDENT), else null; the connection serves the others. */
  incidentEnd(incidentId: string): SessionEnd | null {
    return this.endedIncidents.get(incidentId) ?? null;
  }

  /** When the server was last heard from (connection, message or heartbeat), or null if never. */
  get lastContact(): Date | null {
    return this.lastContactAt;
  }

  /**
   * Called when the server ends access with a reason: for the whole connection (status becomes
   * 'ended'), or for one incident (`incidentId` set: its session is closed, the rest goes on).
   */
  onEnd(listener: (e: SessionEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Opens the documents of an incident; they sync whenever the connection is up. */
  /** `readOnly`: a screen that only shows (the management wall), which sends nothing from its first join on. */
  async openIncident(incidentId: string, options: { readOnly?: boolean } = {}): Promise<IncidentSession> {
    // Opened again (re-added since?): the server decides anew; a removal is said again if still so.
    this.endedIncidents.delete(incidentId);
    const session = await IncidentSession.open(this, incidentId, async (name) => {
      const doc = new Y.Doc();
      await this.options.onDocument?.(name, doc);
      return new DocSync(name, doc, this.socket, this.options.inflater ?? null, !options.readOnly);
    });
    if (options.readOnly) session.setReadOnly();
    this.sessions.add(session);
    session.onClose(() => this.sessions.delete(session));
    return session;
  }

  /** Drops the connection (edits keep accumulating locally) and later restores it. */
  goOffline(): void {
    this.stayOffline = true;
    this.clearTimers();
    this.socket.disconnect();
    this.setStatus(this.endValue ? 'ended' : 'offline');
  }

  /** Connects again after goOffline; nothing after an end the server explained. */
  goOnline(): void {
    if (this.endValue) return;
    this.stayOffline = false;
    if (!this.socket.connected) this.socket.connect();
  }

  close(): void {
    for (const s of [...this.sessions]) s.close();
    this.stayOffline = true;
    this.clearTimers();
    this.socket.disconnect();
  }

  private onDisconnect(reason: Socket.DisconnectReason): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    if (this.endValue) {
      this.setStatus('ended');
      return;
    }
    if (reason === 'io client disconnect' && !this.cycling) {
      this.setStatus('offline');
      return;
    }
    this.setStatus('reconnecting');
    // socket.io retries transport losses itself; a disconnect by the server it leaves alone.
    // (A drain's own disconnect reconnects at once: onDraining calls connect() right after.)
    if (!this.cycling && (reason === 'io server disconnect' || !this.socket.active)) this.retrySoon();
  }

  /** The node is stopping: reconnect (to another node behind a balancer) after the delay it gave. */
  private onDraining(delayMs: number): void {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      if (!this.socket.connected || this.endValue || this.stayOffline) return;
      this.cycling = true;
      try {
        this.socket.disconnect();
      } finally {
        this.cycling = false;
      }
      this.socket.connect();
    }, delayMs);
  }

  /** socket.connect() after a random delay that widens with each attempt in a row (full jitter). */
  private retrySoon(): void {
    const io = this.socket.io;
    if (this.endValue || this.stayOffline || this.retryTimer || !io.reconnection()) return;
    const cap = Math.min(io.reconnectionDelayMax(), Math.max(io.reconnectionDelay(), RETRY_SPREAD_MS) * 2 ** Math.min(this.retries, 10));
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.endValue && !this.stayOffline && !this.socket.connected) this.socket.connect();
    }, Math.random() * cap);
  }

  private end(e: SessionEnd): void {
    if (e.incidentId !== undefined) {
      this.endedIncidents.set(e.incidentId, e);
      for (const s of [...this.sessions]) if (s.incidentId === e.incidentId) s.close();
    } else {
      if (this.endValue) return;
      this.endValue = e;
      this.clearTimers();
      // Stop socket.io's own retries too, should the transport drop before the server's close
      // (which follows at once; the socket is left for it, so its reason stays visible).
      this.socket.io.reconnection(false);
      this.setStatus('ended');
    }
    for (const l of this.endListeners) l(e);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.retryTimer = null;
    this.drainTimer = null;
  }

  private setStatus(s: ConnectionStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    for (const l of this.statusListeners) l(s);
  }
}
