import * as Y from 'yjs';
import type { DocName, DocPart } from '../../shared/model/parts';
import { parseDocName } from '../../shared/model/parts';
import { LIMITS } from '../../shared/protocol/limits';
import type { DocumentStore, JournalRecord } from '../storage/documentStore';
import type { Fanout } from '../fanout/fanout';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { AuthoredOrigin, LOAD_ORIGIN, REMOTE_ORIGIN } from './origins';
import { PendingRecord } from './pendingRecord';
import { SeqTracker } from './seqTracker';
import { AwarenessRelay } from './awarenessRelay';
import { GuardHooks, InspectedUpdate, fieldsStillThere, inspectUpdate } from './guard/updateGuard';
import { checkRecordsRead } from './guard/readerVisibility';
import { declareRoots, partModule } from '../parts/registry';
import { isEmptyStateVector, mergeStateVectors } from './stateVectors';
import type { RoomMetrics } from './roomMetrics';

/** How the room hands durable updates and presence to the transport, which owns the sockets. */
export interface RoomDelivery {
  update(doc: DocName, update: Uint8Array, seq: number, exceptSession: string | null): void;
  awareness(doc: DocName, update: Uint8Array, exceptSession: string | null): void;
}

export interface RoomDeps {
  store: DocumentStore;
  fanout: Fanout;
  delivery: RoomDelivery;
  logger: Logger;
  metrics: RoomMetrics;
  /** Called after records of this document are committed (e.g. to refresh the incident list). */
  onCommitted?: (room: DocumentRoom, records: JournalRecord[]) => void;
}

/**
 * Per-sender rules for one client update, supplied by the caller (server/policy): hooks inside
 * the guard, and `admit`, which sees the inspected update just before it is applied and may
 * still refuse it by throwing. Nothing is applied unless both pass.
 */
export interface UpdateRules {
  guard?: GuardHooks;
  admit?(doc: Y.Doc, inspected: InspectedUpdate, bytes: Uint8Array): void;
}

export interface JoinState {
  updates: Uint8Array[];
  stateVector: Uint8Array;
  seq: number;
}

const SNAPSHOT_MIN_TAIL_BYTES = 256 * 1024;
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;
const GAP_GRACE_MS = 300;
/** Retry interval of a failed fan-out publish (failing is instant while Redis is away: no offline queue). */
const REPUBLISH_MS = 500;

/**
 * One live document. It owns the server's Y.Doc, checks every incoming update before applying
 * it, journals what was new (group commit: everything accepted during one event-loop turn goes
 * in one transaction), and only then acknowledges the sender and fans the update out. Nothing
 * here knows about sockets.
 */
export class DocumentRoom {
  readonly part: DocPart;
  readonly incidentId: string;
  readonly presence = new AwarenessRelay();
  readonly sessions = new Set<string>();
  private doc: Y.Doc | null = null;
  /** Stored bytes not yet applied to a Y.Doc: a room that is only read never pays for materialising. */
  private cold: { updates: Uint8Array[]; stateVector: Uint8Array } | null = null;
  private readonly seqs: SeqTracker;
  private queue: PendingRecord[] = [];
  private flushing = false;
  private flushTimer: NodeJS.Immediate | NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private snapshotBytes = 0;
  private tailBytes = 0;
  private gapTimer: NodeJS.Timeout | null = null;
  /** The newest record whose publish failed and that no later publish has covered yet. */
  private unannounced: JournalRecord | null = null;
  private republishTimer: NodeJS.Timeout | null = null;
  private catchingUp: Promise<void> | null = null;
  private closed = false;
  private unsubscribe: (() => Promise<void>) | null = null;
  /** Whether the store refused the last commit: joins still work, writes wait. */
  storageDown = false;

  private constructor(
    readonly name: DocName,
    private readonly deps: RoomDeps,
    startSeq: number,
  ) {
    const { incidentId, part } = parseDocName(name);
    this.part = part;
    this.incidentId = incidentId;
    this.seqs = new SeqTracker(startSeq);
  }

  static async load(name: DocName, deps: RoomDeps): Promise<DocumentRoom> {
    const stored = await deps.store.load(name);
    const lastSeq = stored.records.length > 0 ? stored.records[stored.records.length - 1]!.seq : (stored.snapshot?.seq ?? 0);
    const room = new DocumentRoom(name, deps, lastSeq);
    const tail = stored.records.map((r) => r.update);
    const tailBytes = tail.reduce((n, u) => n + u.length, 0);
    room.snapshotBytes = stored.snapshot?.update.length ?? 0;
    room.tailBytes = tailBytes;
    if (stored.snapshot && tail.length <= 1000) {
      const merged = tail.length > 0 ? [Y.mergeUpdates(tail)] : [];
      room.cold = {
        updates: [stored.snapshot.update, ...merged],
        stateVector: mergeStateVectors([stored.snapshot.stateVector, ...merged.map((u) => Y.encodeStateVectorFromUpdate(u))]),
      };
    } else {
      room.materialise([...(stored.snapshot ? [stored.snapshot.update] : []), ...tail]);
      room.maybeSnapshot();
    }
    room.unsubscribe = await deps.fanout.subscribe(name, (m) => {
      if (m.kind === 'update') {
        room.applyRemote(m.update, m.seq);
      } else {
        room.presence.applyRemote(m.update);
        deps.delivery.awareness(name, m.update, null);
      }
    });
    // Another node may have committed between our read and our subscription.
    await room.catchUp();
    return room;
  }

  get seq(): number {
    return this.seqs.contiguous;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  get isMaterialised(): boolean {
    return this.doc !== null;
  }

  /** What a client with state vector `sv` lacks. A client with nothing gets stored bytes as they are. */
  join(sv: Uint8Array): JoinState {
    if (isEmptyStateVector(sv) && this.cold) {
      return { updates: this.cold.updates, stateVector: this.cold.stateVector, seq: this.seq };
    }
    const doc = this.ensureDoc();
    return { updates: [Y.encodeStateAsUpdate(doc, sv)], stateVector: Y.encodeStateVector(doc), seq: this.seq };
  }

  /**
   * Checks and applies a client's update. Resolves with the journal seq once it is durable;
   * rejects with an AppError (and no change) when the update is refused.
   */
  applyClientUpdate(bytes: Uint8Array, origin: AuthoredOrigin, rules: UpdateRules = {}): Promise<number> {
    if (this.closed) return Promise.reject(new AppError('NOT_FOUND', 'document closed'));
    if (bytes.length > LIMITS.maxUpdateBytes) return Promise.reject(new AppError('UPDATE_TOO_LARGE', `update over ${LIMITS.maxUpdateBytes} bytes`));
    const doc = this.ensureDoc();
    const part = partModule(this.part);
    const inspected = inspectUpdate(doc, part.policy, bytes, rules.guard);
    if (inspected.mayClear.length > 0) {
      const gone = fieldsStillThere(doc, bytes, inspected.mayClear);
      // A record's field is replaced, never removed: without it the record no longer validates (it would vanish) and its provenance could be written anew.
      if (gone) throw new AppError('UPDATE_FORBIDDEN_DELETE', `${gone}: a field is replaced, never removed`);
    }
    const unread = checkRecordsRead(part, doc, bytes, inspected.touchedRecords);
    if (unread) throw new AppError(unread.code, unread.message);
    rules.admit?.(doc, inspected, bytes);
    return this.applyAuthored(origin, () => Y.applyUpdate(doc, bytes, origin));
  }

  /** A change made by the server on someone's behalf (REST, templates). Resolves once durable. */
  change(author: string, fn: (doc: Y.Doc) => void): Promise<number> {
    const doc = this.ensureDoc();
    const origin = new AuthoredOrigin(author, null);
    return this.applyAuthored(origin, () => doc.transact(() => fn(doc), origin));
  }

  /** Read access for the server (REST, exports). */
  read<T>(fn: (doc: Y.Doc) => T): T {
    return fn(this.ensureDoc());
  }

  /** Presence from a session; relayed to the others here and on other nodes. */
  applyAwareness(update: Uint8Array, sessionId: string): void {
    const relayed = this.presence.apply(update, sessionId);
    this.deps.delivery.awareness(this.name, relayed, sessionId);
    void this.deps.fanout.publish({ kind: 'awareness', node: this.deps.fanout.nodeId, doc: this.name, update: relayed }).catch(() => undefined);
  }

  removeSession(sessionId: string): void {
    this.sessions.delete(sessionId);
    const gone = this.presence.removeSession(sessionId);
    if (gone) {
      this.deps.delivery.awareness(this.name, gone, sessionId);
      void this.deps.fanout.publish({ kind: 'awareness', node: this.deps.fanout.nodeId, doc: this.name, update: gone }).catch(() => undefined);
    }
  }

  /** Resolves when everything accepted so far is durable. */
  whenDurable(): Promise<void> {
    const last = this.queue[this.queue.length - 1];
    return last ? last.done.then(() => undefined) : Promise.resolve();
  }

  /** Catches up from the journal: after a fan-out outage, or when a hole in the seqs lasts. */
  catchUp(): Promise<void> {
    if (this.catchingUp) return this.catchingUp;
    this.catchingUp = (async () => {
      try {
        const records = await this.deps.store.readJournal(this.name, this.seqs.contiguous);
        if (records.length > 0) this.deps.metrics.catchUps.inc();
        for (const r of records) this.applyRemote(r.update, r.seq, true);
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  /**
   * Runs `task` under the document's lock (shared by every node on PostgreSQL) once the room has
   * caught up with the journal: what `task` checks is the document as committed by all nodes,
   * and no node commits to it until `task` settles.
   */
  /** Whether other nodes commit to this document's journal (PostgreSQL), so its copy may lag behind. */
  get sharedJournal(): boolean {
    return this.deps.store.shared;
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    let running = false;
    return this.deps.store
      .lockDocument(this.name, async () => {
        if (this.sharedJournal) {
          // A catch-up already in flight may have read the journal before the lock was ours.
          if (this.catchingUp) await this.catchingUp.catch(() => undefined);
          await this.catchUp();
        }
        running = true;
        return task();
      })
      .catch((err: unknown) => {
        if (running || err instanceof AppError) throw err;
        throw new AppError('STORAGE_UNAVAILABLE', 'the journal cannot be reached: try again shortly', undefined, err);
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.whenDurable();
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer as NodeJS.Timeout);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.republishTimer) clearTimeout(this.republishTimer);
    this.maybeSnapshot();
    await this.unsubscribe?.();
    this.presence.destroy();
    this.doc?.destroy();
  }

  private applyAuthored(origin: AuthoredOrigin, apply: () => void): Promise<number> {
    const doc = this.ensureDoc();
    let effective: Uint8Array | null = null;
    const capture = (update: Uint8Array, o: unknown) => {
      if (o === origin) effective = update;
    };
    // Remote records may legitimately wait here: one that arrived after a hole (a message lost
    // while the fan-out was down) until catch-up brings the missing record. Those must stay: their
    // seqs are marked as applied, so dropping them would lose other nodes' edits on this node.
    const hadPending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    doc.on('update', capture);
    let failure: unknown = null;
    try {
      apply();
    } catch (err) {
      failure = err;
    } finally {
      doc.off('update', capture);
    }
    // An inspected client update never leaves anything pending (the guard checks its dependencies
    // against what is integrated), so pending structs appearing now mean the guard missed one.
    if (!hadPending && (doc.store.pendingStructs || doc.store.pendingDs)) {
      this.deps.logger.error({ doc: this.name }, 'an inspected update left pending structs; the guard missed a dependency');
      // Never keep them: they would integrate later under whoever sends the missing piece, unjournaled.
      doc.store.pendingStructs = null;
      doc.store.pendingDs = null;
    }
    if (!effective) {
      if (failure) return Promise.reject(this.applyFailed(failure));
      // Nothing new (a resend): acknowledge once everything before it is durable.
      const last = this.queue[this.queue.length - 1];
      return last ? last.done : Promise.resolve(this.seq);
    }
    // What Yjs integrated before failing is in the document now: journal it all the same, so the
    // journal always holds exactly what the document holds. (Every item of it passed the guard.)
    const record = new PendingRecord(effective, origin);
    this.queue.push(record);
    this.scheduleFlush(0);
    return failure ? record.done.then(() => Promise.reject(this.applyFailed(failure))) : record.done;
  }

  private applyFailed(cause: unknown): AppError {
    this.deps.logger.error({ doc: this.name, err: cause }, 'Yjs failed to apply an inspected update; the guard let through a shape it should refuse');
    return new AppError('UPDATE_MALFORMED', 'the update could not be applied', undefined, cause);
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer || this.flushing || this.closed) return;
    const run = () => {
      this.flushTimer = null;
      void this.flush();
    };
    this.flushTimer = delayMs === 0 ? setImmediate(run) : setTimeout(run, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue.slice();
    const started = performance.now();
    let records: JournalRecord[];
    try {
      records = await this.deps.store.append(
        this.name,
        batch.map((p) => ({ author: p.origin.author, at: p.at, update: p.update })),
      );
    } catch (err) {
      this.flushing = false;
      this.storageDown = true;
      this.deps.logger.warn({ doc: this.name, err: String(err), retryMs: this.retryMs }, 'journal commit failed; updates stay unacknowledged and will be retried');
      this.scheduleFlush(this.retryMs);
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      return;
    }
    this.deps.metrics.commitSeconds.observe((performance.now() - started) / 1000);
    this.storageDown = false;
    this.retryMs = RETRY_MIN_MS;
    this.queue.splice(0, batch.length);
    this.flushing = false;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const pending = batch[i]!;
      this.seqs.mark(record.seq);
      this.tailBytes += record.update.length;
      // The writer's ack goes out first: it is one write, the broadcast is one per reader.
      pending.resolve(record.seq);
      this.deps.delivery.update(this.name, record.update, record.seq, pending.origin.sessionId);
      this.publish(record);
    }
    this.deps.metrics.updates.inc(records.length);
    this.deps.onCommitted?.(this, records);
    if (this.seqs.hasGap()) this.watchGap();
    if (this.queue.length > 0) this.scheduleFlush(0);
    else this.maybeSnapshot();
  }

  private publish(record: JournalRecord): void {
    const started = performance.now();
    this.deps.fanout
      .publish({ kind: 'update', node: this.deps.fanout.nodeId, doc: this.name, seq: record.seq, update: record.update })
      .then(() => {
        this.deps.metrics.publishSeconds.observe((performance.now() - started) / 1000);
        // A newer seq reveals any earlier loss to the receivers (gap -> catch-up).
        if (this.unannounced && record.seq >= this.unannounced.seq) this.unannounced = null;
      })
      .catch((err: unknown) => this.publishFailed(record, err));
  }

  /**
   * Other nodes notice a lost message only from a later seq (a gap) or from their own
   * subscriber's resync; when only this node lost its link, or nobody writes after the fault,
   * neither comes. So the newest unpublished record goes out again until the fan-out takes it:
   * receivers skip what they have and catch up from the journal on the gap it reveals.
   */
  private publishFailed(record: JournalRecord, err: unknown): void {
    if (this.unannounced === null) this.deps.logger.warn({ doc: this.name, err: String(err) }, 'fan-out publish failed; retrying, and other nodes will catch up from the journal');
    if (this.unannounced === null || record.seq > this.unannounced.seq) this.unannounced = record;
    if (this.republishTimer || this.closed) return;
    this.republishTimer = setTimeout(() => {
      this.republishTimer = null;
      const latest = this.unannounced;
      if (latest && !this.closed) this.publish(latest);
    }, REPUBLISH_MS);
  }

  /** An update committed by another node (or read back from the journal): apply, never journal again. */
  private applyRemote(update: Uint8Array, seq: number, fromJournal = false): void {
    if (this.closed || this.seqs.has(seq)) return;
    if (this.doc) {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } else if (this.cold) {
      this.cold.updates = [...this.cold.updates, update];
      this.cold.stateVector = mergeStateVectors([this.cold.stateVector, Y.encodeStateVectorFromUpdate(update)]);
    }
    this.seqs.mark(seq);
    this.tailBytes += update.length;
    this.deps.delivery.update(this.name, update, seq, null);
    if (!fromJournal && this.seqs.hasGap()) this.watchGap();
  }

  private watchGap(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.seqs.hasGap()) void this.catchUp().catch((err: unknown) => this.deps.logger.warn({ doc: this.name, err: String(err) }, 'catch-up failed'));
    }, GAP_GRACE_MS);
  }

  private ensureDoc(): Y.Doc {
    if (this.doc) return this.doc;
    const cold = this.cold;
    this.cold = null;
    return this.materialise(cold?.updates ?? []);
  }

  private materialise(updates: Uint8Array[]): Y.Doc {
    const doc = new Y.Doc();
    // Declare the part's root type first, so the guard knows its kind before any update names it.
    declareRoots(doc, partModule(this.part));
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u, LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    this.doc = doc;
    this.deps.metrics.materialised.inc();
    return doc;
  }

  /** Snapshots keep load time flat: taken when the journal tail outgrows a quarter of the last snapshot. */
  private maybeSnapshot(): void {
    if (!this.doc || this.queue.length > 0 || this.seqs.hasGap()) return;
    if (this.tailBytes < Math.max(SNAPSHOT_MIN_TAIL_BYTES, this.snapshotBytes / 4)) return;
    const update = Y.encodeStateAsUpdate(this.doc);
    const snapshot = { seq: this.seqs.contiguous, update, stateVector: Y.encodeStateVector(this.doc) };
    this.snapshotBytes = update.length;
    this.tailBytes = 0;
    this.deps.store.saveSnapshot(this.name, snapshot).catch((err: unknown) => {
      this.tailBytes = SNAPSHOT_MIN_TAIL_BYTES;
      this.deps.logger.warn({ doc: this.name, err: String(err) }, 'snapshot failed; the journal still has everything');
    });
  }
}
