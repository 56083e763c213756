import { z } from 'zod';
import { IdSchema, IsoTimeSchema, SeveritySchema } from '../model/common';
import { LogCategorySchema, InjectMarkSchema, PaperSchema, VerificationSchema } from '../model/log';
import { PrioritySchema, TaskStatusSchema } from '../model/tasks';
import { DecisionStatusSchema } from '../model/decisions';
import { DocPartSchema } from '../model/parts';
import { DraftKindSchema } from '../model/regulatory';

/**
 * The post-incident timeline: one chronological list of everything that happened, derived from
 * the journal (never from the live documents), so each event can be traced to the journal
 * record it comes from and that record's hash. Documented field by field in docs/TIMELINE.md.
 */
export const TIMELINE_KINDS = [
  'incident.opened',
  'incident.updated',
  'incident.closed',
  'incident.reopened',
  'log.entry',
  'log.amendment',
  'log.verification',
  'task.created',
  'task.assigned',
  'task.moved',
  'task.done',
  'task.updated',
  'decision.proposed',
  'decision.approved',
  'decision.rejected',
  'decision.superseded',
  'decision.revoked',
  'decision.updated',
  'regulatory.drafted',
  'regulatory.sent',
  'report.published',
  // Reserved for the membership audit source (accounts): not derived from the journal.
  'member.joined',
  'member.role_changed',
  'member.left',
] as const;
export const TimelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const JsonValueSchema: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(JsonValueSchema)]));

/** A field that changed: its value before and after the record. */
export const FieldChangesSchema = z.record(z.object({ from: JsonValueSchema, to: JsonValueSchema }).strict());
export type FieldChanges = z.infer<typeof FieldChangesSchema>;

/** The journal record an event was derived from: document part, sequence number and hash. */
export const RecordRefSchema = z
  .object({
    part: DocPartSchema,
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type RecordRef = z.infer<typeof RecordRefSchema>;

const common = {
  /** Stable within an export: `<part>:<seq>:<n>` for journal events (n-th event of that record). */
  id: z.string().min(1).max(200),
  /** Server time: when the server accepted the change (journal `at`). Authoritative order. */
  at: IsoTimeSchema,
  /** When it happened according to its author (log entries' eventAt); null when not given. */
  eventAt: IsoTimeSchema.nullable(),
  /**
   * Who made the change, as a person reads it: the account's display name. An id no account
   * matches (journals from before accounts, the server itself) is printed as it is.
   */
  author: z.string().min(1).max(200),
  /** The stable identity behind `author`, as the proof holds it: the journal record's author (a user id), or the audit actor. */
  authorId: z.string().min(1).max(200),
  /** The journal record it comes from; null for events of other sources (membership audit). */
  ref: RecordRefSchema.nullable(),
};

const LogData = z
  .object({
    entryId: IdSchema,
    category: LogCategorySchema,
    severity: SeveritySchema,
    verification: VerificationSchema,
    key: z.boolean(),
    text: z.string(),
    source: z.string().nullable(),
    tags: z.array(z.string()),
    /** The entry this one corrects (log.amendment); null for a plain entry. */
    amends: IdSchema.nullable(),
    /** Who wrote it, as the entry says (normally the same as the event author). */
    writtenBy: z.string(),
    /** Transcribed from paper: who wrote it by hand (and the sheet); absent otherwise. */
    paper: PaperSchema.optional(),
    /** An exercise inject, written by the server (source, channel, exercise time); absent otherwise. */
    inject: InjectMarkSchema.optional(),
    /** The entry this one answers (typically an inject); absent otherwise. */
    replyTo: IdSchema.optional(),
    /** Withdrawn by its author (within the grace period): when (server time); absent otherwise. The live views no longer show it. */
    withdrawn: z.object({ at: z.string() }).strict().optional(),
  })
  .strict();

/** A change of an entry's verification state (an append-only record of the log's second root). */
const VerificationData = z
  .object({
    entryId: IdSchema,
    state: VerificationSchema,
    /** The state before this change, as the replay knew it (the entry's own field at first). */
    from: VerificationSchema.nullable(),
    /** Who the record names (normally the event author). */
    by: z.string(),
    note: z.string().nullable(),
    /** The entry's key flag and the start of its text, when the replay knows the entry. */
    key: z.boolean(),
    text: z.string(),
  })
  .strict();

const TaskRef = { taskId: IdSchema, title: z.string() };
const DecisionData = z
  .object({
    decisionId: IdSchema,
    title: z.string(),
    status: DecisionStatusSchema,
    /** The statement as it stood when the status changed. */
    statement: z.string(),
    /** Who the decision's history names for this change (normally the event author). */
    by: z.string(),
    note: z.string().nullable(),
    supersedes: IdSchema.nullable(),
    /** For decision.superseded: the decision that replaced this one, when known. */
    supersededBy: z.object({ decisionId: IdSchema, title: z.string() }).strict().nullable(),
  })
  .strict();

/** A notification draft: created, or marked sent (how, with which reference, when). */
const RegulatoryData = z
  .object({
    draftId: IdSchema,
    draftKind: DraftKindSchema,
    complements: IdSchema.nullable(),
    sentAt: IsoTimeSchema.nullable(),
    sentBy: z.string().nullable(),
    sentVia: z.string().nullable(),
    reference: z.string().nullable(),
  })
  .strict();

/** A situation report made public (sealed from then on); `conditions` is its situation section. */
const ReportData = z
  .object({
    reportId: IdSchema,
    number: z.number().int().positive(),
    windowFrom: IsoTimeSchema,
    windowTo: IsoTimeSchema,
    publishedBy: z.string(),
    nextReportAt: IsoTimeSchema.nullable(),
    conditions: z.string(),
  })
  .strict();

const event = <K extends TimelineKind, D extends z.ZodTypeAny>(kind: K, data: D) => z.object({ ...common, kind: z.literal(kind), data }).strict();

/**
 * A membership change from the audit trail: the member by name and by user id, their role after
 * the change (member.left: the role they had), and before it (null when they were not a member).
 */
const MemberData = z
  .object({
    member: z.string(),
    memberId: z.string(),
    role: z.string().nullable(),
    previousRole: z.string().nullable(),
  })
  .strict();

const IncidentOpened = z.object({ title: z.string(), severity: SeveritySchema, detectedAt: IsoTimeSchema.nullable() }).strict();
const Changes = z.object({ changes: FieldChangesSchema }).strict();

export const TimelineEventSchema = z.discriminatedUnion('kind', [
  event('incident.opened', IncidentOpened),
  event('incident.updated', Changes),
  event('incident.closed', z.object({ closedAt: IsoTimeSchema.nullable() }).strict()),
  event('incident.reopened', z.object({}).strict()),
  event('log.entry', LogData),
  event('log.amendment', LogData),
  event('log.verification', VerificationData),
  event('task.created', z.object({ ...TaskRef, status: TaskStatusSchema, assignee: z.string().nullable(), priority: PrioritySchema, dueAt: IsoTimeSchema.nullable() }).strict()),
  event('task.assigned', z.object({ ...TaskRef, from: z.string().nullable(), to: z.string().nullable() }).strict()),
  event('task.moved', z.object({ ...TaskRef, from: TaskStatusSchema, to: TaskStatusSchema }).strict()),
  event('task.done', z.object({ ...TaskRef, from: TaskStatusSchema }).strict()),
  event('task.updated', z.object({ ...TaskRef, changes: FieldChangesSchema }).strict()),
  event('decision.proposed', DecisionData),
  event('decision.approved', DecisionData),
  event('decision.rejected', DecisionData),
  event('decision.superseded', DecisionData),
  event('decision.revoked', DecisionData),
  event('decision.updated', z.object({ decisionId: IdSchema, title: z.string(), changes: FieldChangesSchema }).strict()),
  event('regulatory.drafted', RegulatoryData),
  event('regulatory.sent', RegulatoryData),
  event('report.published', ReportData),
  event('member.joined', MemberData),
  event('member.role_changed', MemberData),
  event('member.left', MemberData),
]);
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;
export type TimelineEventOf<K extends TimelineKind> = Extract<TimelineEvent, { kind: K }>;
export type LogEventData = z.infer<typeof LogData>;
export type VerificationEventData = z.infer<typeof VerificationData>;
export type DecisionEventData = z.infer<typeof DecisionData>;
export type RegulatoryEventData = z.infer<typeof RegulatoryData>;
export type ReportEventData = z.infer<typeof ReportData>;

/** The lane of the picture and the filter group each kind belongs to. */
export type KindGroup = 'incident' | 'log' | 'task' | 'decision' | 'report' | 'regulatory' | 'member';
export function kindGroup(kind: TimelineKind): KindGroup {
  return kind.slice(0, kind.indexOf('.')) as KindGroup;
}
