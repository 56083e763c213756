import * as Y from 'yjs';
import { decodeWireBytes } from '../../shared/protocol/broadcastBytes';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { Socket } from 'socket.io-client';
import type { DocName } from '../../shared/model/parts';
import { EVENTS, JoinReplySchema, UpdateAckSchema } from '../../shared/protocol/messages';
import type { WireError } from '../../shared/protocol/errors';
import { isEmptyUpdate } from './updates';

/** Answers that say "not now" rather than "never": the update is sent again after a pause. */
const RETRYABLE: ReadonlySet<string> = new Set(['STORAGE_UNAVAILABLE', 'RATE_LIMITED']);
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** Transaction origin of what came from the server, so it is never sent back. */
export const SERVER_ORIGIN = Symbol('server');

export interface DocSyncEvents {
  synced(): void;
  pending(count: number): void;
  rejected(error: WireError): void;
}

type Listener<K extends keyof DocSyncEvents> = DocSyncEvents[K];

/**
 * Keeps one Y.Doc in sync with the server over a socket. Every local edit is counted until the
 * server acknowledges that it is durable; after a reconnect, everything the server lacks is
 * sent again in one update computed from the server's state vector, so nothing is lost
 * however many messages the connection dropped.
 */
export class DocSync {
  readonly awareness: Awareness;
  private readonly unacked = new Set<number>();
  private nextEdit = 1;
  private joined = false;
  private joining = false;
  private closed = false;
  private lastSeq = 0;
  private readonly listeners: { [K in keyof DocSyncEvents]: Set<Listener<K>> } = { synced: new Set(), pending: new Set(), rejected: new Set() };
  /** Server clock minus local clock, from the last join; used to stamp recorded times. */
  clockOffsetMs = 0;

  constructor(
    readonly name: DocName,
    readonly doc: Y.Doc,
    private readonly socket: Socket,
  ) {
    this.awareness = new Awareness(doc);
    // Presence is opted into per document (the incident session uses the metadata part).
    this.awareness.setLocalState(null);
    doc.on('beforeTransaction', this.onBeforeTransaction);
    this.awareness.on('update', this.onLocalAwareness);
    socket.on('connect', this.onConnect);
    socket.on('disconnect', this.onDisconnect);
    socket.on(EVENTS.update, this.onServerUpdate);
    socket.on(EVENTS.awareness, this.onServerAwareness);
    if (socket.connected) this.onConnect();
  }

  /** Edits made here that the server has not yet confirmed as durable. */
  get pendingCount(): number {
    return this.unacked.size;
  }

  get isSynced(): boolean {
    return this.joined;
  }

  /** The journal sequence number of the last server update seen. */
  get seq(): number {
    return this.lastSeq;
  }

  on<K extends keyof DocSyncEvents>(event: K, listener: Listener<K>): () => void {
    (this.listeners[event] as Set<Listener<K>>).add(listener);
    return () => (this.listeners[event] as Set<Listener<K>>).delete(listener);
  }

  whenSynced(): Promise<void> {
    if (this.joined) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on('synced', () => {
        off();
        resolve();
      });
    });
  }

  /** Resolves once every edit made so far is durable on the server. */
  whenAcknowledged(): Promise<void> {
    if (this.unacked.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on('pending', (n) => {
        if (n === 0) {
          off();
          resolve();
        }
      });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.doc.off('beforeTransaction', this.onBeforeTransaction);
    this.doc.off('update', this.onLocalUpdate);
    this.awareness.off('update', this.onLocalAwareness);
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off(EVENTS.update, this.onServerUpdate);
    this.socket.off(EVENTS.awareness, this.onServerAwareness);
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'close');
    if (this.socket.connected) this.socket.emit(EVENTS.leave, { doc: this.name });
    this.awareness.destroy();
  }

  private emit<K extends keyof DocSyncEvents>(event: K, ...args: Parameters<Listener<K>>): void {
    for (const l of this.listeners[event] as Set<(...a: Parameters<Listener<K>>) => void>) l(...args);
  }

  /**
   * Yjs encodes every transaction's update while anyone listens to 'update'. A client mostly
   * receives, so listen only around local transactions: a receiving client skips the encoding.
   */
  private listening = false;
  private readonly onBeforeTransaction = (tr: Y.Transaction) => {
    const local = tr.origin !== SERVER_ORIGIN;
    if (local && !this.listening) this.doc.on('update', this.onLocalUpdate);
    else if (!local && this.listening) this.doc.off('update', this.onLocalUpdate);
    this.listening = local;
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === SERVER_ORIGIN || this.closed) return;
    const edit = this.nextEdit++;
    this.unacked.add(edit);
    this.emit('pending', this.unacked.size);
    if (this.joined && this.socket.connected) this.send(update, [edit]);
  };

  private send(update: Uint8Array, edits: number[]): void {
    this.socket.emit(EVENTS.update, { doc: this.name, update }, (raw: unknown) => {
      const ack = UpdateAckSchema.safeParse(raw);
      if (!ack.success) return;
      // Refusals of updates sent before a pause began are its consequences (a later update
      // depends on the one put off): the join after the pause sends their content again.
      if (!ack.data.ok && this.paused) return;
      if (!ack.data.ok && RETRYABLE.has(ack.data.error.code)) {
        this.pause();
        return;
      }
      if (ack.data.ok) this.pauses = 0;
      if (!ack.data.ok) {
        // Refused for good (invalid content, forbidden): it will never be accepted, so stop counting it.
        for (const e of edits) this.unacked.delete(e);
        this.emit('rejected', ack.data.error);
      } else {
        for (const e of edits) this.unacked.delete(e);
      }
      this.emit('pending', this.unacked.size);
    });
  }

  /**
   * The server said "not now" (database away, too many messages): the edits stay pending and
   * nothing more is sent until, after a pause, the document is joined again, which sends
   * everything the server lacks in one update, as after a reconnect.
   */
  private paused = false;
  private pauses = 0;
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;
  private pause(): void {
    this.paused = true;
    this.joined = false;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.pauses++);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      this.paused = false;
      if (!this.closed && this.socket.connected) this.onConnect();
    }, delay);
  }

  private readonly onConnect = () => {
    if (this.joining || this.closed) return;
    this.joining = true;
    const sentAt = Date.now();
    this.socket.emit(EVENTS.join, { doc: this.name, stateVector: Y.encodeStateVector(this.doc) }, (raw: unknown) => {
      this.joining = false;
      const reply = JoinReplySchema.safeParse(raw);
      if (!reply.success || !reply.data.ok || this.closed) {
        if (reply.success && !reply.data.ok && RETRYABLE.has(reply.data.error.code) && !this.closed) this.pause();
        else if (reply.success && !reply.data.ok) this.emit('rejected', reply.data.error);
        return;
      }
      const { updates, stateVector, seq, awareness, serverTime } = reply.data;
      this.clockOffsetMs = Date.parse(serverTime) - (sentAt + Date.now()) / 2;
      Y.transact(this.doc, () => {
        for (const u of updates) Y.applyUpdate(this.doc, u, SERVER_ORIGIN);
      }, SERVER_ORIGIN);
      this.lastSeq = Math.max(this.lastSeq, seq);
      if (awareness) applyAwarenessUpdate(this.awareness, awareness, SERVER_ORIGIN);
      this.joined = true;
      // Whatever the server lacks (offline edits, sends the connection lost) goes in one update.
      const missing = Y.encodeStateAsUpdate(this.doc, stateVector);
      // Edits kept locally across a reload are not in `unacked`: count them as one edit.
      if (this.unacked.size === 0 && !isEmptyUpdate(missing)) {
        this.unacked.add(this.nextEdit++);
        this.emit('pending', this.unacked.size);
      }
      if (this.unacked.size > 0) this.send(missing, [...this.unacked]);
      // Re-announce with a new clock: the others dropped our state when we left, at the old clock.
      const local = this.awareness.getLocalState();
      if (local !== null) this.awareness.setLocalState({ ...local });
      this.emit('synced');
    });
  };

  private readonly onDisconnect = () => {
    this.joined = false;
    this.joining = false;
    const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.doc.clientID);
    removeAwarenessStates(this.awareness, others, SERVER_ORIGIN);
  };

  private readonly onServerUpdate = (raw: { doc?: unknown; update?: unknown; seq?: unknown }) => {
    if (raw?.doc !== this.name || !this.joined) return;
    const update = decodeWireBytes(raw.update);
    if (!update) return;
    Y.applyUpdate(this.doc, update, SERVER_ORIGIN);
    if (typeof raw.seq === 'number') this.lastSeq = Math.max(this.lastSeq, raw.seq);
  };

  private readonly onServerAwareness = (raw: { doc?: unknown; update?: unknown }) => {
    if (raw?.doc !== this.name) return;
    const update = decodeWireBytes(raw.update);
    if (update) applyAwarenessUpdate(this.awareness, update, SERVER_ORIGIN);
  };

  private readonly onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === SERVER_ORIGIN || !this.joined || !this.socket.connected) return;
    const mine = [...added, ...updated, ...removed].filter((c) => c === this.doc.clientID);
    if (mine.length > 0) this.socket.emit(EVENTS.awareness, { doc: this.name, update: encodeAwarenessUpdate(this.awareness, mine) });
  };
}

