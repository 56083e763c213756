import * as Y from 'yjs';
import type { InsertCheck, Refusal } from '../partModule';

/** Fields fixed at creation: once a record has them, no update may write them again. */
const PROVENANCE_FIELDS = ['id', 'createdBy', 'createdAt'];

export interface RecordAuthorFields {
  /** Fields that say who did something: they must name the sender (or be null). */
  author: readonly string[];
  /** More fields fixed at creation, beside the provenance fields (a draft's kind). */
  fixed?: readonly string[];
}

/**
 * Author fields inside records must name the sender (the journal records the sender's user id
 * anyway; this keeps what readers see honest too), and provenance fields never change once
 * written, nor may a record's `id` differ from its key. For the parts whose records are maps
 * keyed by id; each part names its author fields in its module (the log's entries and
 * verification records, and a decision's history, have their own checks there).
 */
export function recordAuthorFields(fields: RecordAuthorFields, displayName: string): InsertCheck {
  const fixed = [...PROVENANCE_FIELDS, ...(fields.fixed ?? [])];
  return (container, key, content) => {
    if (content.kind !== 'values' || container.path.length !== 2 || key === null) return null;
    const live = container.live;
    if (fixed.includes(key) && live instanceof Y.Map && live.has(key)) {
      return { code: 'UPDATE_SEALED', message: `${container.path.join('.')}.${key} is fixed once the record exists` };
    }
    const value = content.values[0];
    if (key === 'id' && value !== container.path[1]) return notYours(`a record's id must be its key ${JSON.stringify(container.path[1])}`);
    if (fields.author.includes(key) && value !== null && value !== displayName) return notYours(`${key} must be your own name (${JSON.stringify(displayName)})`);
    return null;
  };
}

export function notYours(message: string): Refusal {
  return { code: 'UPDATE_FORBIDDEN_AUTHOR', message };
}
