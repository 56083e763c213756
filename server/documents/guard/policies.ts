import * as Y from 'yjs';
import { z } from 'zod';
import { DocPart, ROOTS } from '../../../shared/model/parts';
import { IdSchema } from '../../../shared/model/common';
import { EncodedLogEntrySchema } from '../../../shared/model/log';
import { EncodedVerificationRecordSchema, VERIFICATIONS_ROOT } from '../../../shared/model/verification';
import { TaskFieldsSchema } from '../../../shared/model/tasks';
import { DECISION_STATEMENT_MAX, DecisionFieldsSchema, DecisionStatusChangeSchema } from '../../../shared/model/decisions';
import { IncidentMetaSchema } from '../../../shared/model/incident';
import { RegulatoryDraftSchema, SENT_FIELDS } from '../../../shared/model/regulatory';
import { REPORT_SECTION_MAX, ReportFieldsSchema, isReportSection } from '../../../shared/model/reports';
import { DECISION_HISTORY_KEY, DECISION_STATEMENT_KEY } from '../../../shared/docs/decisionsDoc';
import type { Container } from './containers';
import type { InsertedContent, PartPolicy } from './partPolicy';

const ok = null;

function describe(container: Container, key: string | null): string {
  return [...container.path, key ?? '[]'].join('.');
}

/** One plain value for a record field, checked against that field's schema. */
function checkField(shape: z.ZodRawShape, key: string | null, content: InsertedContent, where: string): string | null {
  if (content.kind === 'deleted') return ok;
  const schema = key === null ? undefined : shape[key];
  if (!schema) return `${where}: unknown field`;
  if (content.kind !== 'values' || content.values.length !== 1) return `${where}: expected one plain value`;
  const result = schema.safeParse(content.values[0]);
  return result.success ? ok : `${where}: ${result.error.issues[0]?.message ?? 'invalid value'}`;
}

function checkValues(schema: z.ZodTypeAny, content: InsertedContent, where: string): string | null {
  if (content.kind === 'deleted') return ok;
  if (content.kind !== 'values') return `${where}: expected plain records`;
  for (const value of content.values) {
    const result = schema.safeParse(value);
    if (!result.success) return `${where}: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? 'invalid'}`.trim();
  }
  return ok;
}

/**
 * Text drafted together (a decision's statement, a report's section) is plain text of bounded
 * length: what the server holds plus what one update adds stays under `max`, so no one can grow
 * it without end (every later keystroke, export and seal check would pay for it).
 */
function checkText(container: Container, content: InsertedContent, where: string, max: number): string | null {
  if (content.kind === 'deleted') return ok;
  if (content.kind !== 'string') return `${where}: plain text only`;
  const held = container.live instanceof Y.Text ? container.live.length : 0;
  return held + content.length <= max ? ok : `${where}: text longer than ${max} characters`;
}

function checkRecordSlot(container: Container, key: string | null, content: InsertedContent, where: string): string | null {
  if (container.kind !== 'map' || key === null || !IdSchema.safeParse(key).success) return `${where}: records are keyed by id`;
  if (content.kind === 'deleted') return ok;
  return content.kind === 'type' && content.type === 'map' ? ok : `${where}: a record must be a map`;
}

/**
 * The log is append-only: plain entries in one array, verification records in a second one,
 * nothing ever deleted.
 */
const logPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path.length === 1 && container.path[0] === VERIFICATIONS_ROOT && container.kind === 'array') return checkValues(EncodedVerificationRecordSchema, content, where);
    if (container.path.length !== 1 || container.path[0] !== ROOTS.log || container.kind !== 'array') return `${where}: the log holds only its entries and verifications arrays`;
    return checkValues(EncodedLogEntrySchema, content, where);
  },
  checkDelete(container, key) {
    if (container.path[0] === VERIFICATIONS_ROOT) return `${describe(container, key)}: verification records are never deleted (record a new state)`;
    return `${describe(container, key)}: log entries are never deleted (post an amendment)`;
  },
};

const taskFields = TaskFieldsSchema.shape;
const tasksPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , extra] = container.path;
    if (root !== ROOTS.tasks) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && extra === undefined && container.kind === 'map') return checkField(taskFields, key, content, where);
    return `${where}: tasks hold plain fields only`;
  },
  checkDelete(container, key) {
    // Overwriting a field deletes its previous value; removing a task does not exist (cancel it).
    if (container.path[0] === ROOTS.tasks && container.path.length === 2) return ok;
    return `${describe(container, key)}: tasks are never removed (set status to cancelled)`;
  },
};

const decisionFields = DecisionFieldsSchema.shape;
const decisionsPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , nested] = container.path;
    if (root !== ROOTS.decisions) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (key === DECISION_STATEMENT_KEY) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'text') ? ok : `${where}: must be text`;
      if (key === DECISION_HISTORY_KEY) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'array') ? ok : `${where}: must be a list`;
      return checkField(decisionFields, key, content, where);
    }
    if (container.path.length === 3 && nested === DECISION_STATEMENT_KEY && container.kind === 'text') {
      return checkText(container, content, where, DECISION_STATEMENT_MAX);
    }
    if (container.path.length === 3 && nested === DECISION_HISTORY_KEY && container.kind === 'array') {
      return checkValues(DecisionStatusChangeSchema, content, where);
    }
    return `${where}: not part of a decision`;
  },
  checkDelete(container, key) {
    const [root, , nested] = container.path;
    if (root === ROOTS.decisions && container.path.length === 2 && key !== DECISION_HISTORY_KEY && key !== DECISION_STATEMENT_KEY) return ok;
    if (root === ROOTS.decisions && container.path.length === 3 && nested === DECISION_STATEMENT_KEY) return ok;
    return `${describe(container, key)}: decisions and their history are never removed`;
  },
};

const reportFields = ReportFieldsSchema.shape;
/** Situation reports: plain fields and one plain-text Y.Text per section; a report is never removed. */
const reportsPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , nested] = container.path;
    if (root !== ROOTS.reports) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (isReportSection(key)) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'text') ? ok : `${where}: must be text`;
      return checkField(reportFields, key, content, where);
    }
    if (container.path.length === 3 && isReportSection(nested ?? null) && container.kind === 'text') {
      return checkText(container, content, where, REPORT_SECTION_MAX);
    }
    return `${where}: not part of a report`;
  },
  checkDelete(container, key) {
    const [root, , nested] = container.path;
    // Overwriting a field deletes its previous value; text is edited by deleting characters.
    if (root === ROOTS.reports && container.path.length === 2 && !isReportSection(key)) return ok;
    if (root === ROOTS.reports && container.path.length === 3 && isReportSection(nested ?? null)) return ok;
    return `${describe(container, key)}: reports and their sections are never removed`;
  },
};

const metaFields = IncidentMetaSchema.shape;
const metaPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path.length !== 1 || container.path[0] !== ROOTS.meta || container.kind !== 'map') return `${where}: unknown root`;
    return checkField(metaFields, key, content, where);
  },
  checkDelete(container, key) {
    return container.path.length === 1 && container.path[0] === ROOTS.meta && key !== null ? ok : `${describe(container, key)}: not deletable`;
  },
};

const draftFields = RegulatoryDraftSchema.shape;
/**
 * Notification drafts: records keyed by id holding plain fields, each checked against its
 * schema. Marking a draft sent is the server's act (it writes the log entry too), so a client's
 * update may not write `status: sent` nor the sent-by/via/reference/time fields.
 */
const regulatoryPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path[0] !== ROOTS.regulatory) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (content.kind === 'values' && key === 'status' && content.values[0] !== 'draft') return `${where}: a draft is marked sent through the server (POST …/regulatory/:draftId/send)`;
      if (content.kind === 'values' && key !== null && (SENT_FIELDS as readonly string[]).includes(key) && content.values[0] !== null) return `${where}: set by the server when the draft is sent`;
      return checkField(draftFields, key, content, where);
    }
    return `${where}: drafts hold plain fields only`;
  },
  checkDelete(container, key) {
    // Overwriting a field deletes its previous value; a draft itself is never removed.
    if (container.path[0] === ROOTS.regulatory && container.path.length === 2) return ok;
    return `${describe(container, key)}: drafts are never removed`;
  },
};

export const PART_POLICIES: Record<DocPart, PartPolicy> = {
  meta: metaPolicy,
  log: logPolicy,
  tasks: tasksPolicy,
  decisions: decisionsPolicy,
  reports: reportsPolicy,
  regulatory: regulatoryPolicy,
};
