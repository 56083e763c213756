import * as Y from 'yjs';
import { decodeWireBytes } from '../../shared/protocol/broadcastBytes';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { Socket } from 'socket.io-client';
import { DocName, parseDocName } from '../../shared/model/parts';
import type { DocPart } from '../../shared/model/parts';
import { EVENTS, JoinReplySchema, UpdateAckSchema } from '../../shared/protocol/messages';
import type { WireError } from '../../shared/protocol/errors';
import { hasNewContent, isEmptyUpdate } from './updates';
import { Change, ChangeUnit, applyChange, captureTransaction, diffSnapshots, partRoots, snapshot } from './rebase';

/** Answers that say "not now" rather than "never": the update is sent again after a pause. */
const RETRYABLE: ReadonlySet<string> = new Set(['STORAGE_UNAVAILABLE', 'RATE_LIMITED']);
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** Transaction origin of what came from the server, so it is never sent back. */
export const SERVER_ORIGIN = Symbol('server');
/** Transaction origin of the edits made again on a reset document: they are counted as they are made. */
const REPLAY_ORIGIN = Symbol('replay');

/** What the server refused for good, and what it contained, so that nothing typed is lost from the user's hands. */
export interface Refusal {
  error: WireError;
  /** The refused changes, record by record (see rebase.ts); empty when the refusal concerns no edit (a join). */
  changes: Change[];
}

export interface DocSyncEvents {
  synced(): void;
  pending(count: number): void;
  rejected(error: WireError, refusal: Refusal): void;
  /** The document was replaced by the server's state plus the edits still pending: views rebind to `doc`. */
  reset(doc: Y.Doc, previous: Y.Doc): void;
}

type Listener<K extends keyof DocSyncEvents> = DocSyncEvents[K];

/** One local edit not yet acknowledged: its bytes, kept so that it can be sent again, or redone after a refusal. */
interface Edit {
  bytes: Uint8Array;
}

/**
 * Keeps one Y.Doc in sync with the server over a socket. Every local edit is counted until the
 * server acknowledges that it is durable; after a reconnect, everything the server lacks is
 * sent again in one update computed from the server's state vector, so nothing is lost
 * however many messages the connection dropped.
 *
 * A permanent refusal never blocks what follows: once every update in flight is answered, the
 * document is rebuilt from the server's state, every other pending edit is made again on it (one
 * record per edit), the refused ones are reported with their content, and the edits are sent one
 * at a time until none is left, so that the server's verdict is per edit.
 */
export class DocSync {
  readonly awareness: Awareness;
  readonly part: DocPart;
  private current: Y.Doc;
  private edits: Edit[] = [];
  /** Answers awaited; a reset waits for none to be left. */
  private inFlight = 0;
  private joined = false;
  private joining = false;
  private closed = false;
  private lastSeq = 0;
  /** Sends may carry edits (false: a reader's copy, which never sends a document update). */
  private writableValue = true;
  /** After a refusal: one edit at a time until the queue is empty. */
  private careful = false;
  /** Refusals of this round: set once the first comes, until the document is rebuilt. */
  private refusals: Array<{ edits: Edit[]; error: WireError; careful: boolean }> | null = null;
  private readonly listeners: { [K in keyof DocSyncEvents]: Set<Listener<K>> } = { synced: new Set(), pending: new Set(), rejected: new Set(), reset: new Set() };
  /** Server clock minus local clock, from the last join; used to stamp recorded times. */
  clockOffsetMs = 0;

  constructor(
    readonly name: DocName,
    doc: Y.Doc,
    private readonly socket: Socket,
  ) {
    this.part = parseDocName(name).part;
    this.current = doc;
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

  /** The document; a reset replaces it (listen to 'reset'). */
  get doc(): Y.Doc {
    return this.current;
  }

  /** Edits made here that the server has not yet confirmed as durable. */
  get pendingCount(): number {
    return this.edits.length;
  }

  get isSynced(): boolean {
    return this.joined;
  }

  /** The journal sequence number of the last server update seen. */
  get seq(): number {
    return this.lastSeq;
  }

  get writable(): boolean {
    return this.writableValue;
  }

  /**
   * Whether this copy may send document updates (the user's role allows writing this part).
   * A read-only copy sends nothing, ever: what might be edited locally stays pending here.
   */
  setWritable(writable: boolean): void {
    if (this.writableValue === writable) return;
    this.writableValue = writable;
    // Now allowed: what the server lacks goes with a fresh join, as after a reconnect.
    if (writable && this.joined && this.socket.connected && this.edits.length > 0) this.rejoin();
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

  /** Resolves once every edit made so far is durable on the server (or refused). */
  whenAcknowledged(): Promise<void> {
    if (this.edits.length === 0) return Promise.resolve();
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
    this.detachDoc(this.current);
    this.awareness.off('update', this.onLocalAwareness);
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off(EVENTS.update, this.onServerUpdate);
    this.socket.off(EVENTS.awareness, this.onServerAwareness);
    removeAwarenessStates(this.awareness, [this.current.clientID], 'close');
    if (this.socket.connected) this.socket.emit(EVENTS.leave, { doc: this.name });
    this.awareness.destroy();
  }

  private emit<K extends keyof DocSyncEvents>(event: K, ...args: Parameters<Listener<K>>): void {
    for (const l of this.listeners[event] as Set<(...a: Parameters<Listener<K>>) => void>) l(...args);
  }

  private detachDoc(doc: Y.Doc): void {
    doc.off('beforeTransaction', this.onBeforeTransaction);
    doc.off('update', this.onLocalUpdate);
    this.listening = false;
  }

  /**
   * Yjs encodes every transaction's update while anyone listens to 'update'. A client mostly
   * receives, so listen only around local transactions: a receiving client skips the encoding.
   */
  private listening = false;
  private readonly onBeforeTransaction = (tr: Y.Transaction) => {
    const local = tr.origin !== SERVER_ORIGIN;
    if (local && !this.listening) this.current.on('update', this.onLocalUpdate);
    else if (!local && this.listening) this.current.off('update', this.onLocalUpdate);
    this.listening = local;
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === SERVER_ORIGIN || this.closed) return;
    const edit: Edit = { bytes: update };
    this.edits.push(edit);
    this.emit('pending', this.edits.length);
    if (this.careful) this.flush();
    else if (this.canSend) this.send(update, [edit]);
  };

  /** Whether updates may go now (otherwise the next join sends what the server lacks). */
  private get canSend(): boolean {
    return this.joined && this.socket.connected && !this.paused && !this.refusals && this.writableValue && !this.closed;
  }

  /** In careful mode (after a refusal): sends the next edit once nothing is in flight, so that each is judged alone. */
  private flush(): void {
    if (!this.careful || !this.canSend || this.inFlight > 0) return;
    const next = this.edits.find((e) => !this.sentEdits.has(e));
    if (next) this.send(next.bytes, [next]);
  }

  /** Edits sent since the last join (a new join sends again what is still pending). */
  private sentEdits = new WeakSet<Edit>();

  private send(update: Uint8Array, edits: Edit[]): void {
    for (const e of edits) this.sentEdits.add(e);
    this.inFlight++;
    const careful = this.careful;
    const connection = this.connection;
    this.socket.emit(EVENTS.update, { doc: this.name, update }, (raw: unknown) => {
      // An answer to a send made on a connection since lost: its edits were sent again.
      if (connection !== this.connection || this.closed) return;
      this.inFlight = Math.max(0, this.inFlight - 1);
      const ack = UpdateAckSchema.safeParse(raw);
      if (ack.success && ack.data.ok) {
        this.pauses = 0;
        if (edits.length === 1) {
          // Answers come mostly in order: the edit is found near the front.
          const at = this.edits.indexOf(edits[0]!);
          if (at >= 0) this.edits.splice(at, 1);
        } else this.edits = this.edits.filter((e) => !edits.includes(e));
        // Everything redone after a refusal has landed: back to sending edits as they come.
        if (this.edits.length === 0) this.careful = false;
        this.emit('pending', this.edits.length);
      } else if (ack.success && this.paused) {
        // Refusals of updates sent before a pause began are its consequences (a later update
        // depends on the one put off): the join after the pause sends their content again.
      } else if (ack.success && !ack.data.ok) {
        const { error } = ack.data;
        if (RETRYABLE.has(error.code)) this.pause();
        else (this.refusals ??= []).push({ edits, error, careful });
      }
      if (this.refusals && this.inFlight === 0 && !this.paused) this.fetchServerState();
      else this.flush();
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

  /** Counts connections, so that answers from an earlier one are told apart. */
  private connection = 0;

  private rejoin(): void {
    this.joined = false;
    this.onConnect();
  }

  private readonly onConnect = () => {
    if (this.joining || this.closed) return;
    // After a refusal the whole state is fetched (the copy holds what the server refused).
    if (this.refusals) {
      this.fetchServerState();
      return;
    }
    this.joining = true;
    const sentAt = Date.now();
    this.socket.emit(EVENTS.join, { doc: this.name, stateVector: Y.encodeStateVector(this.current) }, (raw: unknown) => {
      this.joining = false;
      // A refusal came in meanwhile: the whole state is needed instead.
      if (this.refusals && !this.closed) return this.fetchServerState();
      const reply = JoinReplySchema.safeParse(raw);
      if (!reply.success || !reply.data.ok || this.closed) {
        if (reply.success && !reply.data.ok && RETRYABLE.has(reply.data.error.code) && !this.closed) this.pause();
        else if (reply.success && !reply.data.ok) this.emit('rejected', reply.data.error, { error: reply.data.error, changes: [] });
        return;
      }
      const { updates, stateVector, seq, awareness, serverTime } = reply.data;
      this.clockOffsetMs = Date.parse(serverTime) - (sentAt + Date.now()) / 2;
      Y.transact(this.current, () => {
        for (const u of updates) Y.applyUpdate(this.current, u, SERVER_ORIGIN);
      }, SERVER_ORIGIN);
      this.lastSeq = Math.max(this.lastSeq, seq);
      if (awareness) applyAwarenessUpdate(this.awareness, awareness, SERVER_ORIGIN);
      this.joined = true;
      this.sentEdits = new WeakSet();
      if (this.writableValue) {
        // Whatever the server lacks (offline edits, sends the connection lost) goes in one update.
        const missing = Y.encodeStateAsUpdate(this.current, stateVector);
        // Edits kept locally across a reload are not counted yet: count them as one edit.
        if (this.edits.length === 0 && hasNewContent(missing, updates)) {
          this.edits.push({ bytes: missing });
          this.emit('pending', this.edits.length);
        }
        // In careful mode each edit goes alone (flush); otherwise all in one update.
        if (this.edits.length > 0 && !this.careful) this.send(missing, [...this.edits]);
      }
      // Re-announce with a new clock: the others dropped our state when we left, at the old clock.
      const local = this.awareness.getLocalState();
      if (local !== null) this.awareness.setLocalState({ ...local });
      this.emit('synced');
      this.flush();
    });
  };

  /** Joins with an empty state vector: the server answers with its whole state, from which the document is rebuilt. */
  private fetchServerState(): void {
    if (this.joining || this.closed || !this.socket.connected) return;
    this.joining = true;
    this.joined = false;
    const sentAt = Date.now();
    this.socket.emit(EVENTS.join, { doc: this.name, stateVector: Y.encodeStateVector(new Y.Doc()) }, (raw: unknown) => {
      this.joining = false;
      const reply = JoinReplySchema.safeParse(raw);
      if (this.closed) return;
      if (!reply.success || !reply.data.ok) {
        if (reply.success && !reply.data.ok && RETRYABLE.has(reply.data.error.code)) this.pause();
        else if (reply.success && !reply.data.ok) this.emit('rejected', reply.data.error, { error: reply.data.error, changes: [] });
        return;
      }
      const { updates, seq, awareness, serverTime } = reply.data;
      this.clockOffsetMs = Date.parse(serverTime) - (sentAt + Date.now()) / 2;
      this.lastSeq = Math.max(this.lastSeq, seq);
      const presence = this.awareness.getLocalState();
      this.rebuild(updates);
      if (awareness) applyAwarenessUpdate(this.awareness, awareness, SERVER_ORIGIN);
      this.joined = true;
      this.sentEdits = new WeakSet();
      if (presence !== null) this.awareness.setLocalState({ ...presence });
      this.emit('synced');
      this.flush();
    });
  }

  /**
   * Replaces the document by the server's state (`updates`) plus every pending edit that was not
   * refused, each made again as its own transaction. A refused edit of one record is dropped
   * and reported; a refused update of several records (a reconnect's diff, edits restored
   * from the browser's storage) is split, each record then sent and judged alone.
   */
  private rebuild(updates: Uint8Array[]): void {
    const refusals = this.refusals ?? [];
    this.refusals = null;
    const previous = this.current;
    const fresh = new Y.Doc({ gc: previous.gc });
    partRoots(this.part, fresh);
    Y.transact(fresh, () => {
      for (const u of updates) Y.applyUpdate(fresh, u, SERVER_ORIGIN);
    }, SERVER_ORIGIN);

    // What each pending edit did, read on a scratch copy of the server's state (on which the
    // refused ones integrate too, so the edits after them still do).
    const scratch = new Y.Doc({ gc: false });
    partRoots(this.part, scratch);
    for (const u of updates) Y.applyUpdate(scratch, u, SERVER_ORIGIN);
    let before = snapshot(this.part, scratch);
    const units = new Map<Edit, ChangeUnit[]>();
    /** Edits that integrated on the scratch copy (an edit built on uncounted content may not, alone). */
    const readable = new Set<Edit>();
    for (const edit of this.edits) {
      Y.applyUpdate(scratch, edit.bytes, SERVER_ORIGIN);
      if (scratch.store.pendingStructs === null && scratch.store.pendingDs === null) readable.add(edit);
      const after = snapshot(this.part, scratch);
      units.set(edit, diffSnapshots(before, after));
      before = after;
    }
    // What the copy holds beyond its counted edits (kept in the browser across a reload while
    // other edits were pending): made again too, never dropped.
    const uncounted: Edit = { bytes: Y.encodeStateAsUpdate(previous) };
    Y.applyUpdate(scratch, uncounted.bytes, SERVER_ORIGIN);
    units.set(uncounted, diffSnapshots(before, snapshot(this.part, scratch)));
    scratch.destroy();

    // A verdict on one edit of one record is that record's; anything larger is split. A
    // missing dependency is no verdict on content unless the edit went alone on a rebuilt copy.
    const dropped = new Set<Edit>();
    const reports: Refusal[] = [];
    for (const r of refusals) {
      const [edit] = r.edits;
      const own = units.get(edit!) ?? [];
      // An edit whose changes could not be read alone (built on content the copy holds beyond
      // its counted edits) is no verdict either: everything is made again and judged per record.
      // One that was read but changed nothing a record shows (an embed in a text) is dropped.
      if (r.edits.length !== 1 || own.length > 1 || !readable.has(edit!)) continue;
      if (r.error.code === 'UPDATE_MISSING_DEPENDENCIES' && !r.careful) continue;
      dropped.add(edit!);
      reports.push({ error: r.error, changes: own.flatMap((u) => u.changes) });
    }

    const redone: Edit[] = [];
    for (const edit of [...this.edits, uncounted]) {
      if (dropped.has(edit)) continue;
      for (const unit of units.get(edit) ?? []) {
        const bytes = captureTransaction(fresh, REPLAY_ORIGIN, () => {
          for (const change of unit.changes) applyChange(this.part, fresh, change);
        });
        if (bytes && !isEmptyUpdate(bytes)) redone.push({ bytes });
      }
    }

    // A new client id (the fresh copy's own): the refused items keep theirs, so no id ever names
    // two different items. Presence moves to the new id.
    const presence = this.awareness.getLocalState();
    if (presence !== null) {
      this.awareness.setLocalState(null);
      if (this.socket.connected) this.socket.emit(EVENTS.awareness, { doc: this.name, update: encodeAwarenessUpdate(this.awareness, [previous.clientID]) });
    }
    this.awareness.clientID = fresh.clientID;
    this.awareness.doc = fresh;
    this.detachDoc(previous);
    this.current = fresh;
    fresh.on('beforeTransaction', this.onBeforeTransaction);
    this.edits = redone;
    this.careful = true;
    this.emit('reset', fresh, previous);
    this.emit('pending', this.edits.length);
    for (const r of reports) this.emit('rejected', r.error, r);
  }

  private readonly onDisconnect = () => {
    this.joined = false;
    this.joining = false;
    this.inFlight = 0;
    this.connection++;
    const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.current.clientID);
    removeAwarenessStates(this.awareness, others, SERVER_ORIGIN);
  };

  private readonly onServerUpdate = (raw: { doc?: unknown; update?: unknown; seq?: unknown }) => {
    if (raw?.doc !== this.name || !this.joined) return;
    const update = decodeWireBytes(raw.update);
    if (!update) return;
    Y.applyUpdate(this.current, update, SERVER_ORIGIN);
    if (typeof raw.seq === 'number') this.lastSeq = Math.max(this.lastSeq, raw.seq);
  };

  private readonly onServerAwareness = (raw: { doc?: unknown; update?: unknown }) => {
    if (raw?.doc !== this.name) return;
    const update = decodeWireBytes(raw.update);
    if (update) applyAwarenessUpdate(this.awareness, update, SERVER_ORIGIN);
  };

  private readonly onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === SERVER_ORIGIN || !this.joined || !this.socket.connected) return;
    const mine = [...added, ...updated, ...removed].filter((c) => c === this.current.clientID);
    if (mine.length > 0) this.socket.emit(EVENTS.awareness, { doc: this.name, update: encodeAwarenessUpdate(this.awareness, mine) });
  };
}
