import * as Y from 'yjs';
import { decodeWireBytes } from '../../shared/protocol/broadcastBytes';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { DocName, parseDocName, type DocPart } from '../../shared/model/parts';
import { EVENTS, JoinReplySchema, UpdateAckSchema } from '../../shared/protocol/messages';
import { hasNewContent } from './updates';
import { applyUpdateNoted } from '../../shared/docs/notedClients';
import { type Edit, type RefusedSend, rebuildDocument } from './docRebuild';
import { type DocSyncEvents, SyncListeners } from './syncEvents';
import { RETRYABLE, RetryPause } from './retryPause';
import { SERVER_ORIGIN, fieldsOf, type SyncSocket } from './syncSocket';
import type { Inflater } from './inflate';
import { type AcceptedJoin, HeldUpdates, readJoinUpdates } from './inflateJoin';
import { hasExtras, joinRequest, refusedAsMalformed } from './joinRequest';

export { SERVER_ORIGIN, type SyncSocket } from './syncSocket';
export type { Refusal } from './docRebuild';
export type { DocSyncEvents } from './syncEvents';

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
  /** After a refusal: one edit at a time until the queue is empty. */
  private careful = false;
  /** Refusals of this round: set once the first comes, until the document is rebuilt. */
  private refusals: RefusedSend[] | null = null;
  private readonly listeners = new SyncListeners();
  /** Server clock minus local clock, from the last join; used to stamp recorded times. */
  clockOffsetMs = 0;

  /** Server updates that come while a join is answered (inflateJoin.ts). */
  private readonly held = new HeldUpdates();
  private plainJoin = false; // this connection's server refused the join's newer fields (joinRequest.ts): none until the next

  constructor(
    readonly name: DocName,
    doc: Y.Doc,
    private readonly socket: SyncSocket,
    /** Inflates compressed join answers; null: none are asked for (client/sdk/inflate.ts). */
    private inflater: Inflater | null = null,
    /** Sends may carry edits (false: a reader's copy, which never sends a document update nor, from its first join, names a client id). */
    private writableValue = true,
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
    if (writable && this.joined && this.socket.connected && this.edits.length > 0) {
      this.joined = false;
      this.onConnect();
    }
  }

  on<K extends keyof DocSyncEvents>(event: K, listener: DocSyncEvents[K]): () => void {
    return this.listeners.on(event, listener);
  }

  whenSynced(): Promise<void> {
    return this.listeners.until('synced', () => this.joined);
  }

  /** Resolves once every edit made so far is durable on the server (or refused). */
  whenAcknowledged(): Promise<void> {
    return this.listeners.until('pending', () => this.edits.length === 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.retry.stop();
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
    this.listeners.emit('pending', this.edits.length);
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
        this.retry.reset();
        if (edits.length === 1) {
          // Answers come mostly in order: the edit is found near the front.
          const at = this.edits.indexOf(edits[0]!);
          if (at >= 0) this.edits.splice(at, 1);
        } else this.edits = this.edits.filter((e) => !edits.includes(e));
        // Everything redone after a refusal has landed: back to sending edits as they come.
        if (this.edits.length === 0) this.careful = false;
        this.listeners.emit('pending', this.edits.length);
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
  private readonly retry = new RetryPause();
  private get paused(): boolean {
    return this.retry.active;
  }
  private pause(): void {
    this.joined = false;
    this.retry.start(() => {
      if (!this.closed && this.socket.connected) this.onConnect();
    });
  }

  /**
   * A join refused or unreadable: a "not now" pauses (then joins again), a refusal for good is
   * reported. Returns the accepted reply, or null.
   */
  private acceptedJoin(raw: unknown): AcceptedJoin | null {
    const reply = JoinReplySchema.safeParse(raw);
    if (this.closed || !reply.success) return null;
    const answer = reply.data;
    if (answer.ok) return answer;
    if (RETRYABLE.has(answer.error.code)) this.pause();
    else this.listeners.emit('rejected', answer.error, { error: answer.error, changes: [] });
    return null;
  }

  /** Counts connections, so that answers from an earlier one are told apart. */
  private connection = 0;

  private readonly onConnect = () => {
    if (this.joining || this.closed) return;
    // After a refusal the whole state is fetched (the copy holds what the server refused).
    if (this.refusals) return this.fetchServerState();
    this.requestJoin(false, (updates, stateVector, held) => {
      Y.transact(this.current, () => {
        for (const u of updates) Y.applyUpdate(this.current, u, SERVER_ORIGIN);
      }, SERVER_ORIGIN);
      this.joined = true;
      this.sentEdits = new WeakSet();
      if (this.writableValue) {
        // Whatever the server lacks (offline edits, sends the connection lost) goes in one update.
        const missing = Y.encodeStateAsUpdate(this.current, stateVector);
        // Edits kept locally across a reload are not counted yet: count them as one edit.
        if (this.edits.length === 0 && hasNewContent(missing, updates)) {
          this.edits.push({ bytes: missing });
          this.listeners.emit('pending', this.edits.length);
        }
        // In careful mode each edit goes alone (flush); otherwise all in one update.
        if (this.edits.length > 0 && !this.careful) this.send(missing, [...this.edits]);
      }
      // After `missing`: the answer's state vector does not count what was held.
      for (const u of held) Y.applyUpdate(this.current, u, SERVER_ORIGIN);
      // Re-announce with a new clock: the others dropped our state when we left, at the old clock.
      const local = this.awareness.getLocalState();
      if (local !== null) this.awareness.setLocalState({ ...local });
    });
  };

  /** Joins with an empty state vector: the server answers with its whole state, from which the document is rebuilt. */
  private fetchServerState(): void {
    if (this.joining || this.closed || !this.socket.connected) return;
    this.joined = false;
    this.requestJoin(true, (updates, _stateVector, held) => {
      const presence = this.awareness.getLocalState();
      this.rebuild([...updates, ...held]);
      this.joined = true;
      this.sentEdits = new WeakSet();
      if (presence !== null) this.awareness.setLocalState({ ...presence });
    });
  }

  /**
   * Sends a join (`whole`: with an empty state vector) and hands the answer's updates, inflated if
   * compressed, to `use` with the server updates held meanwhile; then the awareness, 'synced'.
   */
  private requestJoin(whole: boolean, use: (updates: Uint8Array[], stateVector: Uint8Array, held: Uint8Array[]) => void): void {
    this.joining = true;
    this.held.start();
    const connection = this.connection;
    const sentAt = Date.now();
    const stateVector = Y.encodeStateVector(whole ? new Y.Doc() : this.current);
    // Our edits' id, bound at join so the first edit need not wait (a whole-state join's copy is rebuilt under a new id).
    const extras = { inflates: this.inflater !== null, clientId: this.writableValue && !whole ? this.current.clientID : null };
    this.socket.emit(EVENTS.join, joinRequest(this.name, stateVector, extras, this.plainJoin), (raw: unknown) => {
      if (connection !== this.connection) return;
      // A server of the previous release (a rolling upgrade) refuses the fields it does not know: join again without them.
      if (!this.plainJoin && hasExtras(extras) && refusedAsMalformed(raw)) return this.joinAgain(whole, () => (this.plainJoin = true));
      const answered = (updates: Uint8Array[]) => {
        this.joining = false;
        const held = this.held.take();
        // A refusal came in meanwhile: the whole state is needed instead.
        if (!whole && this.refusals && !this.closed) return this.fetchServerState();
        const reply = this.acceptedJoin(raw);
        if (!reply) return;
        this.clockOffsetMs = Date.parse(reply.serverTime) - (sentAt + Date.now()) / 2;
        this.lastSeq = Math.max(this.lastSeq, reply.seq, held.seq);
        use(updates, reply.stateVector, held.updates);
        if (reply.awareness) applyAwarenessUpdate(this.awareness, reply.awareness, SERVER_ORIGIN);
        this.listeners.emit('synced');
        this.flush();
      };
      // Still joining while a compressed answer inflates: no second join starts, updates are held.
      readJoinUpdates(raw, this.inflater, (updates) => {
        if (connection === this.connection && !this.closed) answered(updates);
      }, () => {
        if (connection !== this.connection || this.closed) return;
        // Unreadable here: join again without asking for compression.
        this.joinAgain(whole, () => (this.inflater = null));
      });
    });
  }

  /** Joins again, as before (`whole` or not), after `change` to what the join asks. */
  private joinAgain(whole: boolean, change: () => void): void {
    change();
    this.joining = false;
    if (whole) this.fetchServerState();
    else this.onConnect();
  }

  /** Replaces the document by the server's state plus the pending edits not refused (docRebuild.ts); reports the refused ones. */
  private rebuild(updates: Uint8Array[]): void {
    const refused = this.refusals ?? [];
    this.refusals = null;
    const previous = this.current;
    const { doc: fresh, edits, refusals } = rebuildDocument(this.part, previous, this.edits, refused, updates);

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
    this.edits = edits;
    this.careful = true;
    this.listeners.emit('reset', fresh, previous);
    this.listeners.emit('pending', this.edits.length);
    for (const r of refusals) this.listeners.emit('rejected', r.error, r);
  }

  private readonly onDisconnect = () => {
    this.joined = false;
    this.joining = false;
    this.plainJoin = false; // the next connection may reach a node of the new release
    this.held.stop();
    this.inFlight = 0;
    this.connection++;
    const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.current.clientID);
    removeAwarenessStates(this.awareness, others, SERVER_ORIGIN);
  };

  private readonly onServerUpdate = (message: unknown) => {
    const raw = fieldsOf(message);
    if (raw.doc !== this.name) return;
    const update = decodeWireBytes(raw.update);
    if (!update) return;
    if (!this.joined) return this.held.hold(update, raw.seq);
    applyUpdateNoted(this.current, update, SERVER_ORIGIN);
    if (typeof raw.seq === 'number') this.lastSeq = Math.max(this.lastSeq, raw.seq);
  };

  private readonly onServerAwareness = (message: unknown) => {
    const raw = fieldsOf(message);
    if (raw.doc !== this.name) return;
    const update = decodeWireBytes(raw.update);
    if (update) applyAwarenessUpdate(this.awareness, update, SERVER_ORIGIN);
  };

  private readonly onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === SERVER_ORIGIN || !this.joined || !this.socket.connected) return;
    const mine = [...added, ...updated, ...removed].filter((c) => c === this.current.clientID);
    if (mine.length > 0) this.socket.emit(EVENTS.awareness, { doc: this.name, update: encodeAwarenessUpdate(this.awareness, mine) });
  };
}
