import * as Y from 'yjs';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { DocName } from '../../shared/model/parts';
import { DocSync } from './docSync';
import { IncidentSession } from './incidentSession';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface CrisisClientOptions {
  /** Server base URL, e.g. http://localhost:3000 (in the browser, location.origin). */
  url: string;
  /** Display name; until accounts exist, this is the author of every edit. */
  name: string;
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

  constructor(readonly options: CrisisClientOptions) {
    this.socket = io(options.url, {
      transports: ['websocket'],
      auth: { name: options.name, protocol: 1 },
      reconnectionDelay: 300,
      reconnectionDelayMax: 3_000,
      randomizationFactor: 0.5,
      ...options.socket,
    });
    this.socket.on('connect', () => this.setStatus('live'));
    this.socket.on('disconnect', (reason) => this.setStatus(reason === 'io client disconnect' ? 'offline' : 'reconnecting'));
    this.socket.io.on('reconnect_failed', () => this.setStatus('offline'));
    this.socket.on('connect_error', () => this.setStatus(this.statusValue === 'connecting' ? 'connecting' : 'reconnecting'));
  }

  get name(): string {
    return this.options.name;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
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

  private setStatus(s: ConnectionStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    for (const l of this.statusListeners) l(s);
  }
}
