import type { DocName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import type { RoomDelivery } from '../../server/documents/room';
import type { Reply, SessionSocket } from '../../server/session/sessionSocket';
import { within } from '../helpers/poll';

/** A server's answer to a message sent with an ack. */
export interface Answer {
  ok: boolean;
  error?: { code: string; message: string };
  [key: string]: unknown;
}

/** What a client saw, in the order it saw it: answers to its messages and events from the server. */
export type Seen = { kind: 'reply'; event: string; payload: unknown } | { kind: 'event'; event: string; payload: unknown };

/**
 * The broadcast channels of the in-memory transport: which server ends subscribed to which
 * document, and the `RoomDelivery` that hands a room's broadcasts to them (what socket.io's rooms
 * do for the real adapter).
 */
export class MemoryChannels {
  private readonly members = new Map<string, Set<MemoryServerSocket>>();
  /** Every delivery to any client, in order, across clients: to compare when each client heard what. */
  readonly timeline: Array<{ to: string; seen: Seen }> = [];

  readonly delivery: RoomDelivery = {
    update: (doc, update, seq, except) => this.send(doc, except, EVENTS.update, { doc, update, seq }),
    awareness: (doc, update, except) => this.send(doc, except, EVENTS.awareness, { doc, update }),
  };

  join(channel: string, socket: MemoryServerSocket): void {
    const set = this.members.get(channel) ?? new Set();
    set.add(socket);
    this.members.set(channel, set);
  }

  leave(channel: string, socket: MemoryServerSocket): void {
    this.members.get(channel)?.delete(socket);
  }

  subscribed(channel: string): string[] {
    return [...(this.members.get(channel) ?? [])].map((s) => s.id);
  }

  private send(doc: DocName, except: string | null, event: string, payload: unknown): void {
    for (const socket of this.members.get(doc) ?? []) if (socket.id !== except) socket.emit(event, payload);
  }
}

/**
 * The server end of an in-memory connection: a `SessionSocket` with no socket.io and no network.
 * Messages the client sends while reads are paused wait, as TCP backpressure would hold them.
 */
export class MemoryServerSocket implements SessionSocket {
  connected = true;
  paused = false;
  private messageHandler: ((event: unknown, payload: unknown, reply: Reply | null) => void) | null = null;
  private readonly closeHandlers: Array<() => void> = [];
  private readonly held: Array<() => void> = [];
  private readonly channelsJoined = new Set<string>();

  constructor(
    readonly id: string,
    private readonly channels: MemoryChannels,
    private readonly client: MemoryClient,
  ) {}

  emit(event: string, payload: unknown): void {
    if (this.connected) this.client.receive({ kind: 'event', event, payload });
  }

  onMessage(handler: (event: unknown, payload: unknown, reply: Reply | null) => void): void {
    this.messageHandler = handler;
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  subscribe(channel: string): void {
    this.channelsJoined.add(channel);
    this.channels.join(channel, this);
  }

  unsubscribe(channel: string): void {
    this.channelsJoined.delete(channel);
    this.channels.leave(channel, this);
  }

  pauseReads(): boolean {
    this.paused = true;
    return true;
  }

  resumeReads(): void {
    this.paused = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    for (const channel of this.channelsJoined) this.channels.leave(channel, this);
    this.channelsJoined.clear();
    for (const handler of this.closeHandlers) handler();
  }

  /** A message from the client (called by its end). */
  deliver(event: unknown, payload: unknown, reply: Reply | null): void {
    const run = () => this.messageHandler?.(event, payload, reply);
    if (this.paused) this.held.push(run);
    else run();
  }

  get heldMessages(): number {
    return this.held.length;
  }
}

/** The client end: sends messages (with or without an ack) and records what comes back. */
export class MemoryClient {
  readonly seen: Seen[] = [];
  private readonly listeners = new Set<() => void>();
  server!: MemoryServerSocket;

  constructor(
    readonly name: string,
    private readonly channels: MemoryChannels,
  ) {}

  /** Sends with an ack callback; resolves with the server's answer. */
  request(event: string, payload: unknown): Promise<Answer> {
    return new Promise((resolve) => {
      this.server.deliver(event, payload, (answer) => {
        this.receive({ kind: 'reply', event, payload: answer });
        resolve(answer as Answer);
      });
    });
  }

  /** Sends with no ack: errors come back as `doc:error` events. */
  send(event: unknown, payload: unknown): void {
    this.server.deliver(event, payload, null);
  }

  events(event: string): unknown[] {
    return this.seen.filter((s) => s.kind === 'event' && s.event === event).map((s) => s.payload);
  }

  /** Resolves once `predicate` holds, checked after everything this client receives. */
  until(predicate: () => boolean, label: string, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    let check!: () => void;
    const seen = new Promise<void>((resolve) => {
      check = () => {
        if (predicate()) resolve();
      };
      this.listeners.add(check);
    });
    return within(seen, timeoutMs, `${this.name}: timed out waiting for ${label}`).finally(() => this.listeners.delete(check));
  }

  /** The client goes away (its end closes the connection). */
  close(): void {
    this.server.disconnect();
  }

  receive(seen: Seen): void {
    this.seen.push(seen);
    this.channels.timeline.push({ to: this.name, seen });
    for (const listener of [...this.listeners]) listener();
  }
}

/** A connected pair: the client end for the test, the server end for the session. */
export function memorySocketPair(id: string, channels: MemoryChannels): { client: MemoryClient; server: MemoryServerSocket } {
  const client = new MemoryClient(id, channels);
  const server = new MemoryServerSocket(id, channels, client);
  client.server = server;
  return { client, server };
}
