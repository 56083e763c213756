import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import type { DocPart } from '../../shared/model/parts';
import { DECISION_HISTORY_KEY } from '../../shared/docs/decisionsDoc';
import { VERIFICATIONS_ROOT } from '../../shared/model/verification';
import { parseJsonObject } from '../../shared/model/common';
import type { Container } from '../documents/guard/containers';
import type { InsertedContent } from '../documents/guard/partPolicy';
import type { GuardHooks, GuardRefusal } from '../documents/guard/updateGuard';
import { VerificationRules } from './verificationRules';

/** Fields that say who did something: they must name the sender. */
const AUTHOR_FIELDS: Partial<Record<DocPart, readonly string[]>> = { tasks: ['createdBy'], decisions: ['createdBy', 'decidedBy'], regulatory: ['createdBy', 'sentBy'], reports: ['createdBy', 'publishedBy'] };
/** Fields fixed at creation: once a record has them, no update may write them again. */
const PROVENANCE_FIELDS = ['id', 'createdBy', 'createdAt'];
/** Per part, more fields fixed at creation: a draft's kind (a CNIL draft never becomes a NIS2 one). */
const FIXED_FIELDS: Partial<Record<DocPart, readonly string[]>> = { regulatory: ['kind'] };

/**
 * Author fields inside records must name the sender (the journal records the sender's user id
 * anyway; this keeps what readers see honest too): a log entry's `author`, a task's or
 * decision's `createdBy`, a decision's `decidedBy`, the `by` of each decision history entry and
 * of each log verification record (whose `at` and `entryId` must also hold: verificationRules.ts), a report's `createdBy` and `publishedBy`. And
 * provenance fields never change once written, nor may a record's `id` differ from its key.
 */
export function authorFieldHooks(part: DocPart, displayName: string, verifications: VerificationRules | null = null): GuardHooks['checkInsert'] {
  return (container, key, content) => {
    if (content.kind !== 'values') return null;
    const [root, recordKey, nested] = container.path;
    if (part === 'log' && root === ROOTS.log && container.path.length === 1) {
      for (const raw of content.values) {
        // One parse for both checks: this runs for every entry of every update.
        const entry = parseJsonObject(raw);
        if (entry?.author !== displayName) return refuse(`a log entry must be written under your own name (${JSON.stringify(displayName)})`);
        if (typeof entry.id === 'string') verifications?.noteEntry(entry.id);
      }
      return null;
    }
    if (part === 'log' && root === VERIFICATIONS_ROOT && container.path.length === 1) {
      for (const raw of content.values) {
        const record = parseJsonObject(raw);
        if (record?.by !== displayName) return refuse(`a verification change must be recorded under your own name (${JSON.stringify(displayName)})`);
        const problem = verifications?.check(record, container.live);
        if (problem) return problem;
      }
      return null;
    }
    if ((part === 'tasks' || part === 'decisions' || part === 'regulatory' || part === 'reports') && container.path.length === 2 && key !== null) {
      const live = container.live;
      if ((PROVENANCE_FIELDS.includes(key) || (FIXED_FIELDS[part] ?? []).includes(key)) && live instanceof Y.Map && live.has(key)) {
        return { code: 'UPDATE_SEALED', message: `${container.path.join('.')}.${key} is fixed once the record exists` } satisfies GuardRefusal;
      }
      const value = content.values[0];
      if (key === 'id' && value !== recordKey) return refuse(`a record's id must be its key ${JSON.stringify(recordKey)}`);
      if ((AUTHOR_FIELDS[part] ?? []).includes(key) && value !== null && value !== displayName) return refuse(`${key} must be your own name (${JSON.stringify(displayName)})`);
      return null;
    }
    if (part === 'decisions' && container.path.length === 3 && nested === DECISION_HISTORY_KEY) {
      for (const change of content.values) {
        if ((change as { by?: unknown } | null)?.by !== displayName) return refuse(`a status change must be recorded under your own name (${JSON.stringify(displayName)})`);
      }
    }
    return null;
  };
}

function refuse(message: string): GuardRefusal {
  return { code: 'UPDATE_FORBIDDEN_AUTHOR', message };
}

export type { Container, InsertedContent };
