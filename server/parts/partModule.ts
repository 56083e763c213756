import type * as Y from 'yjs';
import type { ErrorCode } from '../../shared/protocol/errors';
import type { PartRoot } from '../../shared/model/parts';
import type { EventFilter } from '../../shared/timeline/filter';
import type { JournalRecord } from '../storage/documentStore';
import type { Container, Placement } from './shape/containers';
import type { InsertedContent, PartPolicy } from './shape/partPolicy';
import type { PartReplayer } from './replay/partReplayer';

/** How far a recorded time may stray from the server's clock (issue 13, item 1; rules/placement.ts). */
export interface RecordedTimeWindow {
  /** Ahead of the server's clock: the SDK writes on a server-corrected clock, so only drift. */
  aheadMs: number;
  /** Behind it: an edit made offline reaches the server late, but not days late. */
  behindMs: number;
}

/** Why an update is refused: an error code and a sentence (the guard's and admission's refusals have this shape). */
export interface Refusal {
  code: ErrorCode;
  message: string;
}

/** A say on an inserted item the part's shape rules accepted: a refusal, or null. */
export type InsertCheck = (container: Container, key: string | null, content: InsertedContent) => Refusal | null;
/** A first say on deleting a live item: 'allow' overrides the shape rules, a refusal refuses, null defers to them. */
export type DeleteJudge = (item: Y.Item, placement: Placement) => 'allow' | Refusal | null;

/** What admission learnt of an update from the guard's inspection. */
export interface UpdateFacts {
  /** Per client id, the clock range the update adds. */
  added: ReadonlyMap<number, { from: number; to: number }>;
  /** The records (keys of the root map) the update writes into, replaces or deletes from. */
  touchedRecords: ReadonlySet<string>;
  /** Of those, the records whose own fields the update writes, creates or replaces. */
  fieldWrites: ReadonlySet<string>;
}

/** Who sends an update, to which document, and what admission holds beyond it (one per update). */
export interface AdmissionContext {
  doc: string;
  incidentId: string;
  userId: string;
  /** The sender's display name: author fields must name it. */
  displayName: string;
  now: Date;
  recordedTime: RecordedTimeWindow;
  /** The sender may change a decision's status (server/policy/decisionAuthority.ts). */
  mayDecide: boolean;
  /** The user a client id is bound to in this document, if any. */
  ownerOf(client: number): string | undefined;
  /** The log's grace period: what a writer inserted recently and may still withdraw (server/policy/logGrace.ts). */
  recentLog: {
    withinGrace(doc: string, item: Y.Item, userId: string): boolean;
    record(doc: string, client: number, range: { from: number; to: number }, userId: string): void;
  };
}

/** A part's rules for one update, beyond its shape: made by `PartModule.admission`, used once. */
export interface PartAdmission {
  /** Inside the guard, for every inserted item (author fields, places, ids, recorded times). */
  checkInsert?: InsertCheck;
  /** Inside the guard, for every deleted live item. */
  judgeDelete?: DeleteJudge;
  /** After the guard and the client-id check, before applying: the part's record rules (sealed records, who decides, publication). */
  check?(doc: Y.Doc, bytes: Uint8Array, update: UpdateFacts): Refusal | null;
  /** How many records the update creates, for the records budget (edits of a record never count). */
  created(doc: Y.Doc, update: UpdateFacts): number;
  /** The update passed every check and is applied next. */
  admitted?(update: UpdateFacts): void;
}

/**
 * Everything the server knows of one document part, in one place. The registry
 * (server/parts/registry.ts) holds one per part; the room, admission, the timeline and `?at=`
 * look a part up there and never branch on its name.
 */
export interface PartModule {
  /** The part's name in document names (`<incident>:<name>`) and journal head order. */
  readonly name: string;
  /** Its root types, declared before any update names them (the materialiser, `declareRoots`). */
  readonly roots: readonly PartRoot[];
  /** Its shape rules: which paths it holds and each value's schema (the guard). */
  readonly policy: PartPolicy;
  /** Its records seal (approved, published, sent): on a shared journal, updates are admitted under the document's lock. */
  readonly seals: boolean;
  /**
   * One record as the shared reader reads it (null when it does not read), for the parts whose
   * records are keyed maps under the first root: the guard refuses a record no reader would see.
   * Null for the others.
   */
  readonly readRecord: ((doc: Y.Doc, id: string) => unknown) | null;
  /** Its rules for one update from one sender. */
  admission(ctx: AdmissionContext): PartAdmission;
  /** A fresh replayer of its journal (timeline, exports, handover). */
  replayer(): PartReplayer;
  /** A replayer for a timeline run, which may read the journal ahead first (the log's withdrawals); `replayer()` when absent. */
  timelineReplayer?(filter: EventFilter, journal: () => AsyncIterable<JournalRecord[]>): Promise<PartReplayer>;
}
