import * as Y from 'yjs';
import { type DocName, type DocPart, parseDocName } from '../../shared/model/parts';
import { applyUpdateNoted } from '../../shared/docs/notedClients';
import type { JournalRecord } from '../storage/documentStore';
import { AppError } from '../errors';
import { AuthoredOrigin, LOAD_ORIGIN, REMOTE_ORIGIN } from './origins';
import { PendingRecord } from './pendingRecord';
import { SeqTracker } from './seqTracker';
import { AwarenessRelay } from './awarenessRelay';
import { ClientUpdate, UpdateRules, inspectClientUpdate } from './clientUpdate';
import { applyCapturing } from './effectiveUpdate';
import { RoomPublisher } from './roomPublisher';
import { batchDeliveries } from './batchDelivery';
import { declareRoots, partModule } from '../parts/registry';
import { isEmptyStateVector, mergeStateVectors } from './stateVectors';
import { JoinAnswers } from './joinAnswers';
import { RoomSnapshots } from './roomSnapshots';
import type { JoinState, RoomDeps } from './roomDeps';
import type { UpdateStages } from './updateStages';

export type { UpdateRules } from './clientUpdate';
export type { JoinState, RoomDelivery, RoomDeps } from './roomDeps';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;
const GAP_GRACE_MS = 300;

/**
 * One live document. It owns the server's Y.Doc, checks every incoming update before applying
 * it, journals what was new (group commit, see `scheduleFlush`), and only then acknowledges the sender and, right after, fans the update
 * out. Nothing here knows about sockets.
 */
export class DocumentRoom {
  readonly part: DocPart;
  readonly incidentId: string;
  readonly presence = new AwarenessRelay();
  readonly sessions = new Set<string>();
  private doc: Y.Doc | null = null;
  /** Stored bytes not yet applied to a Y.Doc: a room only read never materialises; `clocks`: its state vector decoded once (a writer's join asks). */
  private cold: { updates: Uint8Array[]; stateVector: Uint8Array; clocks?: Map<number, number> } | null = null;
  private readonly seqs: SeqTracker;
  private queue: PendingRecord[] = [];
  private flushing = false;
  private flushScheduled = false;
  /** A retry of a failed commit, waiting out its backoff. */
  private flushTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  /** Set by `load`, before anything is recorded. */
  private snapshots!: RoomSnapshots;
  private gapTimer: NodeJS.Timeout | null = null;
  private readonly publisher: RoomPublisher;
  private readonly joinAnswers = new JoinAnswers();
  /** Settles once the last committed batch has been broadcast and published (see `flush`). */
  private announced: Promise<void> = Promise.resolve();
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
    this.publisher = new RoomPublisher(name, deps.fanout, deps.logger, deps.metrics);
  }

  static async load(name: DocName, deps: RoomDeps): Promise<DocumentRoom> {
    const stored = await deps.store.load(name);
    const lastSeq = stored.records.length > 0 ? stored.records[stored.records.length - 1]!.seq : (stored.snapshot?.seq ?? 0);
    const room = new DocumentRoom(name, deps, lastSeq);
    const tail = stored.records.map((r) => r.update);
    if (stored.snapshot && tail.length <= 1000) {
      const merged = tail.length > 0 ? [Y.mergeUpdates(tail)] : [];
      room.cold = {
        updates: [stored.snapshot.update, ...merged],
        stateVector: mergeStateVectors([stored.snapshot.stateVector, ...merged.map((u) => Y.encodeStateVectorFromUpdate(u))]),
      };
      room.snapshots = new RoomSnapshots(name, deps.store, deps.snapshots, deps.logger, { snapshot: stored.snapshot, tail: merged });
    } else {
      room.materialise([...(stored.snapshot ? [stored.snapshot.update] : []), ...tail]);
      room.snapshots = new RoomSnapshots(name, deps.store, deps.snapshots, deps.logger, { snapshot: stored.snapshot, tail });
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

  /** What a client with state vector `sv` lacks: stored bytes as they are, or encoded once per version and vector (`JoinAnswers`). */
  join(sv: Uint8Array): JoinState {
    if (isEmptyStateVector(sv) && this.cold) {
      return { updates: this.cold.updates, stateVector: this.cold.stateVector, seq: this.seq };
    }
    return { ...this.joinAnswers.of(sv, this.seq, this.ensureDoc()), seq: this.seq };
  }

  /** Items the document has under `client` (0: none). A cold room reads its stored state vector: a writer's join asks, and must not build the document. */
  clientClock(client: number): number {
    if (this.doc) return Y.getState(this.doc.store, client);
    return this.cold ? ((this.cold.clocks ??= Y.decodeStateVector(this.cold.stateVector)).get(client) ?? 0) : 0;
  }

  /** The client ids under which `update` brings items this document does not have yet. */
  clientsAdding(update: ClientUpdate): number[] {
    return update.clientsAdding(this.ensureDoc());
  }

  /**
   * Inspects a client's update once and applies it, with no await in between: throws an
   * AppError (and changes nothing) when it is refused. The promise resolves with the journal
   * seq once the update is durable.
   */
  applyClientUpdate(update: ClientUpdate, origin: AuthoredOrigin, rules: UpdateRules = {}, stages?: UpdateStages): Promise<number> {
    if (this.closed) throw new AppError('NOT_FOUND', 'document closed');
    const doc = this.ensureDoc();
    inspectClientUpdate(doc, this.part, update, rules);
    return this.applyAuthored(origin, () => applyUpdateNoted(doc, update.bytes, origin, update.reach.keys()), stages);
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

  /** Whether other nodes commit to this document's journal (PostgreSQL), so its copy may lag behind. */
  get sharedJournal(): boolean {
    return this.deps.store.shared;
  }

  /**
   * Runs `task` under the document's lock (shared by every node on PostgreSQL) once the room has
   * caught up with the journal: what `task` checks is the document as committed by all nodes,
   * and no node commits to it until `task` settles. The lock or the catch-up failing is
   * STORAGE_UNAVAILABLE; what `task` throws is thrown as it is.
   */
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
    await this.announced;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.publisher.close();
    this.maybeSnapshot();
    // The store stays open until the room is closed: a snapshot being taken is stored first.
    await this.snapshots.settled();
    await this.unsubscribe?.();
    this.presence.destroy();
    this.doc?.destroy();
  }

  private applyAuthored(origin: AuthoredOrigin, apply: () => void, stages?: UpdateStages): Promise<number> {
    const { effective, failure } = applyCapturing(this.ensureDoc(), origin, apply, this.deps.logger, this.name);
    stages?.mark('applied');
    if (!effective) {
      if (failure) return Promise.reject(this.applyFailed(failure));
      // Nothing new (a resend): acknowledge once everything before it is durable.
      const last = this.queue[this.queue.length - 1];
      return last ? last.done : Promise.resolve(this.seq);
    }
    // What Yjs integrated before failing is in the document now: journal it all the same, so the
    // journal always holds exactly what the document holds. (Every item of it passed the guard.)
    const record = new PendingRecord(effective, origin, stages);
    this.queue.push(record);
    this.scheduleFlush(0);
    return failure ? record.done.then(() => Promise.reject(this.applyFailed(failure))) : record.done;
  }

  private applyFailed(cause: unknown): AppError {
    this.deps.logger.error({ doc: this.name, err: cause }, 'Yjs failed to apply an inspected update; the guard let through a shape it should refuse');
    return new AppError('UPDATE_MALFORMED', 'the update could not be applied', undefined, cause);
  }

  /**
   * Group commit that never makes a lone writer wait. A store that commits off the event loop
   * gets the queue at once (a microtask: once the caller's synchronous work is done) when no
   * commit is in flight; what arrives while one is goes, all of it, in the next commit, started
   * as soon as the one in flight is durable. A store that holds the event loop while it commits
   * (SQLite on the loop) gets it after the current turn's I/O (setImmediate): what other sockets
   * sent meanwhile waited unread in the kernel during the last commit and arrives in this same
   * turn, so it joins this commit rather than each paying its own fsync. A delay is only for
   * retrying a failed commit.
   */
  private scheduleFlush(delayMs: number): void {
    if (this.flushScheduled || this.flushing || this.closed) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      this.flushTimer = null;
      void this.flush();
    };
    if (delayMs > 0) this.flushTimer = setTimeout(run, delayMs);
    else if (this.deps.store.blocksOnCommit) setImmediate(run);
    else queueMicrotask(run);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue.slice();
    const started = performance.now();
    for (const p of batch) p.stages?.mark('commitStarted');
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
      batch[i]!.stages?.mark('committed');
      this.seqs.mark(records[i]!.seq);
      this.snapshots.recorded(records[i]!.update);
      batch[i]!.resolve(records[i]!.seq);
    }
    // The writers' acks go out first: resolving queued them as promise jobs, and a nextTick
    // callback runs once every queued job has (acks included), still in this turn, before any
    // I/O. So no ack waits for the broadcast to the other sockets nor for the publish, and those
    // wait for nothing but the acks.
    this.announced = new Promise((resolve) =>
      process.nextTick(() => {
        // Off the loop, the next commit runs while this batch is announced; on it, it would hold the broadcast back.
        const early = this.queue.length > 0 && !this.deps.store.blocksOnCommit;
        if (early) void this.flush();
        try {
          this.announce(records, batch);
        } catch (err) {
          this.deps.logger.error({ doc: this.name, err }, 'announcing committed records failed');
        } finally {
          if (!early && this.queue.length > 0) this.scheduleFlush(0);
          resolve();
        }
      }),
    );
  }

  /** Committed records to this node's other sockets (a batch as merged updates: `batchDeliveries`), to the other nodes; then upkeep. */
  private announce(records: JournalRecord[], batch: PendingRecord[]): void {
    for (const delivery of batchDeliveries(records, (i) => batch[i]!.origin.sessionId)) this.deps.delivery.update(this.name, ...delivery);
    for (let i = 0; i < records.length; i++) {
      this.publisher.publish(records[i]!);
      batch[i]!.stages?.mark('broadcast');
    }
    this.deps.metrics.updates.inc(records.length);
    this.deps.onCommitted?.(this, records);
    if (this.seqs.hasGap()) this.watchGap();
    this.maybeSnapshot();
  }

  /** An update committed by another node (or read back from the journal): apply, never journal again. */
  private applyRemote(update: Uint8Array, seq: number, fromJournal = false): void {
    if (this.closed || this.seqs.has(seq)) return;
    if (this.doc) {
      applyUpdateNoted(this.doc, update, REMOTE_ORIGIN);
    } else if (this.cold) {
      this.cold = { updates: [...this.cold.updates, update], stateVector: mergeStateVectors([this.cold.stateVector, Y.encodeStateVectorFromUpdate(update)]) };
    }
    this.seqs.mark(seq);
    this.snapshots.recorded(update);
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
    if (cold) this.joinAnswers.seedBase(cold.updates, cold.stateVector);
    return this.materialise(cold?.updates ?? []);
  }

  private materialise(updates: Uint8Array[]): Y.Doc {
    const doc = new Y.Doc();
    // Declare the part's root type first, so the guard knows its kind before any update names it.
    declareRoots(doc, partModule(this.part));
    doc.transact(() => {
      for (const u of updates) Y.applyUpdate(doc, u, LOAD_ORIGIN);
    }, LOAD_ORIGIN);
    doc.on('afterTransaction', () => this.joinAnswers.clear()); // committed or not, it changes what joiners lack
    this.doc = doc;
    this.deps.metrics.materialised.inc();
    return doc;
  }

  /** A snapshot through the last contiguous record, if one is due (`RoomSnapshots`): never past a gap. */
  private maybeSnapshot(): void {
    if (this.seqs.hasGap()) return;
    this.snapshots.maybeTake(this.seqs.contiguous);
  }
}
