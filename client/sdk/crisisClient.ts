import * as Y from 'yjs';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { DocName } from '../../shared/model/parts';
import { DocSync } from './docSync';
import { IncidentSession } from './incidentSession';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

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
}

/**
 * The SDK's entry point, for the browser and Node alike: one socket.io connection that
 * reconnects by itself, and incident sessions opened over it.
 */
export class CrisisClient {
  readonly socket: Socket;
  private statusValue: ConnectionStatus = 'connecting';
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly sessions = new Set<IncidentSession>();
  private readonly authListeners = new Set<(e: { code: string; message: string }) => void>();

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
      ...options.socket,
    });
    this.socket.on('connect', () => this.setStatus('live'));
    // A disconnect by the server (logout, revocation, removal) is not retried by socket.io: offline.
    this.socket.on('disconnect', (reason) => this.setStatus(reason === 'io client disconnect' || reason === 'io server disconnect' ? 'offline' : 'reconnecting'));
    this.socket.io.on('reconnect_failed', () => this.setStatus('offline'));
    this.socket.on('connect_error', (err: Error & { data?: { code?: unknown; message?: unknown } }) => {
      // Refused by the server's authentication: socket.io will not retry, so say so.
      if (typeof err.data?.code === 'string') {
        this.setStatus('offline');
        this.emitAuth({ code: err.data.code, message: typeof err.data.message === 'string' ? err.data.message : err.message });
        return;
      }
      this.setStatus(this.statusValue === 'connecting' ? 'connecting' : 'reconnecting');
    });
    this.socket.on('doc:error', (e: { code?: unknown; message?: unknown } | null) => {
      if (e?.code === 'UNAUTHENTICATED' || e?.code === 'FORBIDDEN') this.emitAuth({ code: e.code, message: typeof e.message === 'string' ? e.message : '' });
    });
  }

  get name(): string {
    return this.options.name;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /**
   * Called when the server refuses or ends the connection for authentication or permission
   * (code UNAUTHENTICATED: log in again; FORBIDDEN: removed from an incident).
   */
  onAuthError(listener: (e: { code: string; message: string }) => void): () => void {
    this.authListeners.add(listener);
    return () => this.authListeners.delete(listener);
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Opens the four documents of an incident; they sync whenever the connection is up. */
  async openIncident(incidentId: string): Promise<IncidentSession> {
    const session = await IncidentSession.open(this, incidentId, async (name) => {
      const doc = new Y.Doc();
      await this.options.onDocument?.(name, doc);
      return new DocSync(name, doc, this.socket);
    });
    this.sessions.add(session);
    session.onClose(() => this.sessions.delete(session));
    return session;
  }

  /** Drops the connection (edits keep accumulating locally) and later restores it. */
  goOffline(): void {
    this.socket.disconnect();
  }

  goOnline(): void {
    this.socket.connect();
  }

  close(): void {
    for (const s of [...this.sessions]) s.close();
    this.socket.disconnect();
  }

  private emitAuth(e: { code: string; message: string }): void {
    for (const l of this.authListeners) l(e);
  }

  private setStatus(s: ConnectionStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    for (const l of this.statusListeners) l(s);
  }
}
