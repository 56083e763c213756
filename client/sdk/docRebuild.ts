import * as Y from 'yjs';
import type { DocPart } from '../../shared/model/parts';
import type { WireError } from '../../shared/protocol/errors';
import { isEmptyUpdate } from './updates';
import { Change, ChangeUnit, applyChange, captureTransaction, diffSnapshots, partRoots, snapshot } from './rebase';
import { REPLAY_ORIGIN, SERVER_ORIGIN } from './syncSocket';

/** One local edit not yet acknowledged: its bytes, kept so that it can be sent again, or redone after a refusal. */
export interface Edit {
  bytes: Uint8Array;
}

/** What the server refused for good, and what it contained, so that nothing typed is lost from the user's hands. */
export interface Refusal {
  error: WireError;
  /** The refused changes, record by record (see rebase.ts); empty when the refusal concerns no edit (a join). */
  changes: Change[];
}

/** A permanent refusal of one send: the edits it carried, and whether it went alone (after an earlier refusal). */
export interface RefusedSend {
  edits: Edit[];
  error: WireError;
  careful: boolean;
}

export interface Rebuilt {
  /** The server's state plus every pending edit that was not refused, on a new client id. */
  doc: Y.Doc;
  /** The edits made again on `doc`, one per record, in order: pending, to be sent one at a time. */
  edits: Edit[];
  /** The refused edits, with their content. */
  refusals: Refusal[];
}

/**
 * Rebuilds a document after permanent refusals: the server's state (`updates`) plus every
 * pending edit that was not refused, each made again as its own transaction. A refused edit of
 * one record is dropped and reported; a refused update of several records (a reconnect's diff,
 * edits restored from the browser's storage) is split, each record then sent and judged alone.
 */
export function rebuildDocument(part: DocPart, previous: Y.Doc, pending: readonly Edit[], refused: readonly RefusedSend[], updates: readonly Uint8Array[]): Rebuilt {
  const fresh = new Y.Doc({ gc: previous.gc });
  partRoots(part, fresh);
  Y.transact(fresh, () => {
    for (const u of updates) Y.applyUpdate(fresh, u, SERVER_ORIGIN);
  }, SERVER_ORIGIN);

  const { units, readable, uncounted } = readEdits(part, previous, pending, updates);

  // A verdict on one edit of one record is that record's; anything larger is split. A
  // missing dependency is no verdict on content unless the edit went alone on a rebuilt copy.
  const dropped = new Set<Edit>();
  const refusals: Refusal[] = [];
  for (const r of refused) {
    const [edit] = r.edits;
    const own = units.get(edit!) ?? [];
    // An edit whose changes could not be read alone (built on content the copy holds beyond
    // its counted edits) is no verdict either: everything is made again and judged per record.
    // One that was read but changed nothing a record shows (an embed in a text) is dropped.
    if (r.edits.length !== 1 || own.length > 1 || !readable.has(edit!)) continue;
    if (r.error.code === 'UPDATE_MISSING_DEPENDENCIES' && !r.careful) continue;
    dropped.add(edit!);
    refusals.push({ error: r.error, changes: own.flatMap((u) => u.changes) });
  }

  const redone: Edit[] = [];
  for (const edit of [...pending, uncounted]) {
    if (dropped.has(edit)) continue;
    for (const unit of units.get(edit) ?? []) {
      const bytes = captureTransaction(fresh, REPLAY_ORIGIN, () => {
        for (const change of unit.changes) applyChange(part, fresh, change);
      });
      if (bytes && !isEmptyUpdate(bytes)) redone.push({ bytes });
    }
  }
  return { doc: fresh, edits: redone, refusals };
}

/**
 * What each pending edit did, read on a scratch copy of the server's state (on which the
 * refused ones integrate too, so the edits after them still do), and what the copy holds
 * beyond its counted edits (kept in the browser across a reload while other edits were
 * pending): made again too, never dropped.
 */
function readEdits(part: DocPart, previous: Y.Doc, pending: readonly Edit[], updates: readonly Uint8Array[]): { units: Map<Edit, ChangeUnit[]>; readable: Set<Edit>; uncounted: Edit } {
  const scratch = new Y.Doc({ gc: false });
  partRoots(part, scratch);
  for (const u of updates) Y.applyUpdate(scratch, u, SERVER_ORIGIN);
  let before = snapshot(part, scratch);
  const units = new Map<Edit, ChangeUnit[]>();
  /** Edits that integrated on the scratch copy (an edit built on uncounted content may not, alone). */
  const readable = new Set<Edit>();
  for (const edit of pending) {
    Y.applyUpdate(scratch, edit.bytes, SERVER_ORIGIN);
    if (scratch.store.pendingStructs === null && scratch.store.pendingDs === null) readable.add(edit);
    const after = snapshot(part, scratch);
    units.set(edit, diffSnapshots(before, after));
    before = after;
  }
  const uncounted: Edit = { bytes: Y.encodeStateAsUpdate(previous) };
  Y.applyUpdate(scratch, uncounted.bytes, SERVER_ORIGIN);
  units.set(uncounted, diffSnapshots(before, snapshot(part, scratch)));
  scratch.destroy();
  return { units, readable, uncounted };
}
