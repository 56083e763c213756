import type * as Y from 'yjs';
import type { DocPart } from '../model/parts';
import type { LogEntry } from '../model/log';
import type { VerificationRecord } from '../model/verification';
import type { Task } from '../model/tasks';
import type { Decision } from '../model/decisions';
import type { Report } from '../model/reports';
import type { RegulatoryDraft } from '../model/regulatory';
import type { IncidentMeta } from '../model/incident';
import { LogDoc } from './logDoc';
import { TaskBoardDoc } from './taskBoardDoc';
import { DecisionsDoc } from './decisionsDoc';
import { ReportsDoc } from './reportsDoc';
import { RegulatoryDoc } from './regulatoryDoc';
import { MetaDoc } from './metaDoc';

/**
 * The one reader of the documents (issue 13, item 2): the records of each part exactly as the
 * live views see them. REST state, `?at=`, handover, report drafts, the journal replay behind
 * every export, and the update guard (which refuses what this reader would not see) all go
 * through these functions or the typed views they wrap, so no two readers can disagree on what
 * a document holds.
 */
export interface LogRecords {
  /** Entries in document order (withdrawn ones are gone from the document, hence from here). */
  entries: LogEntry[];
  /** Verification records in document order. */
  verifications: VerificationRecord[];
}

export function readLog(doc: Y.Doc): LogRecords {
  const log = new LogDoc(doc);
  return { entries: log.entries(), verifications: log.verificationRecords() };
}

export function readTasks(doc: Y.Doc): Task[] {
  return new TaskBoardDoc(doc).list();
}

export function readDecisions(doc: Y.Doc): Decision[] {
  return new DecisionsDoc(doc).list();
}

export function readReports(doc: Y.Doc): Report[] {
  return new ReportsDoc(doc).list();
}

export function readRegulatory(doc: Y.Doc): RegulatoryDraft[] {
  return new RegulatoryDoc(doc).list();
}

export function readMeta(doc: Y.Doc): IncidentMeta | null {
  return new MetaDoc(doc).get();
}

/** What the reader gives for each part. */
export interface PartRecords {
  meta: IncidentMeta | null;
  log: LogRecords;
  tasks: Task[];
  decisions: Decision[];
  reports: Report[];
  regulatory: RegulatoryDraft[];
}

export function readPart<P extends DocPart>(part: P, doc: Y.Doc): PartRecords[P] {
  const readers: { [K in DocPart]: (d: Y.Doc) => PartRecords[K] } = {
    meta: readMeta,
    log: readLog,
    tasks: readTasks,
    decisions: readDecisions,
    reports: readReports,
    regulatory: readRegulatory,
  };
  return readers[part](doc);
}

/**
 * The id of a record of a map part as the reader reads it, or null when it does not read (half
 * written, or invalid as a whole): what the guard asks of every record an update touches.
 */
export function readRecordOf(part: Exclude<DocPart, 'log' | 'meta'>, doc: Y.Doc, id: string): unknown {
  switch (part) {
    case 'tasks':
      return new TaskBoardDoc(doc).get(id);
    case 'decisions':
      return new DecisionsDoc(doc).get(id);
    case 'reports':
      return new ReportsDoc(doc).get(id);
    case 'regulatory':
      return new RegulatoryDoc(doc).get(id);
  }
}

/** The kinds of shared type a position can be in, as the guard describes them. */
export type PositionKind = 'map' | 'array' | 'text' | 'other';

/**
 * Whether the reader looks at an item placed in a container of this kind under this key. Every
 * typed view reads a sequence (an array of records, a text) by its items in order, and a map by
 * its keys: a map key set on an array or a text (Yjs keeps it apart, in the type's map half) is
 * read by nobody, and neither is a map value without a key. The part's shape rules
 * (server/parts/<part>/policy.ts) then say which paths and values each part holds.
 */
export function readerLooksAt(kind: PositionKind, key: string | null): boolean {
  if (kind === 'map') return key !== null;
  if (kind === 'array' || kind === 'text') return key === null;
  return false;
}
