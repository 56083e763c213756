import type * as Y from 'yjs';
import type { AdmissionContext, InsertCheck, PartAdmission, UpdateFacts } from '../partModule';
import { type RecordAuthorFields, recordAuthorFields } from './authorFields';
import { combineInsertChecks } from './combine';
import { recordPlacement } from './placement';

/**
 * The admission of a part whose records are maps keyed by id under one root map (tasks,
 * decisions, reports, regulatory): its author fields, then where records live and when they were
 * created, then the part's own record rules (`check`). Records created are the touched records
 * the root does not hold yet: each keystroke in a report or a decision is an update to its
 * record, and a typist must never meet a records-per-minute budget (the bytes budget still
 * bounds edits).
 */
export function recordAdmission(
  root: string,
  fields: RecordAuthorFields,
  ctx: AdmissionContext,
  own: { checkInsert?: InsertCheck; check?: PartAdmission['check'] } = {},
): PartAdmission {
  return {
    checkInsert: combineInsertChecks(recordAuthorFields(fields, ctx.displayName), own.checkInsert, recordPlacement(root, ctx.now, ctx.recordedTime)),
    ...(own.check ? { check: own.check } : {}),
    created: (doc, update) => createdRecords(doc, root, update),
  };
}

/** The records an update creates under `root`: those it touches that the document does not hold yet. */
export function createdRecords(doc: Y.Doc, root: string, update: UpdateFacts): number {
  const map = doc.getMap(root);
  return [...update.touchedRecords].filter((r) => !map.has(r)).length;
}
