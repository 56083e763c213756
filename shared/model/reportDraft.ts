import { z } from 'zod';
import { IdSchema, IsoTimeSchema, SeveritySchema } from './common';
import { LogCategorySchema } from './log';
import { PrioritySchema, TaskStatusSchema } from './tasks';
import { DecisionStatusSchema } from './decisions';
import { ReportSectionsSchema } from './reports';

/** `GET /api/incidents/:id/reports/draft` query: the window (defaults: after the last report, until now), the language of the texts, the time zone of their times. */
export const ReportDraftQuerySchema = z
  .object({
    from: IsoTimeSchema.optional(),
    to: IsoTimeSchema.optional(),
    lang: z.enum(['fr', 'en']).default('fr'),
    tz: z.string().max(64).default('Europe/Paris'),
  })
  .strict();
export type ReportDraftQuery = z.input<typeof ReportDraftQuerySchema>;

const DraftLogItem = z
  .object({ entryId: IdSchema, at: IsoTimeSchema, eventAt: IsoTimeSchema.nullable(), category: LogCategorySchema, severity: SeveritySchema, key: z.boolean(), text: z.string(), author: z.string(), amends: IdSchema.nullable() })
  .strict();
const DraftTask = z.object({ taskId: IdSchema, title: z.string(), status: TaskStatusSchema, assignee: z.string().nullable(), priority: PrioritySchema }).strict();
const DraftTaskMove = z.object({ taskId: IdSchema, title: z.string(), from: TaskStatusSchema, to: TaskStatusSchema, at: IsoTimeSchema }).strict();
const DraftDecision = z
  .object({
    decisionId: IdSchema,
    title: z.string(),
    statement: z.string(),
    /** At the end of the window. */
    status: DecisionStatusSchema,
    by: z.string(),
    at: IsoTimeSchema,
    /** A superseded decision: the one that replaced it, by title (null otherwise; absent from older drafts). */
    replacedBy: z.object({ decisionId: IdSchema, title: z.string() }).strict().nullable().default(null),
  })
  .strict();

/**
 * What changed in an incident during a window, computed from the journal (server time), and the
 * section texts suggested for a situation report. Log entries come key facts and alerts first.
 */
export const ComputedDraftSchema = z
  .object({
    incidentId: IdSchema,
    window: z.object({ from: IsoTimeSchema, to: IsoTimeSchema }).strict(),
    generatedAt: IsoTimeSchema,
    lang: z.enum(['fr', 'en']),
    cadenceMinutes: z.number().int().positive(),
    nextReportAt: IsoTimeSchema,
    previousReport: z.object({ reportId: IdSchema, number: z.number().int().positive() }).strict().nullable(),
    /**
     * The window's log entries, each once: an entry amended in or before the window appears in
     * its last wording (as of the window's end), entries refuted by then are not here but in
     * `refuted`.
     */
    log: z.array(DraftLogItem),
    /** Entries of the window whose verification said "refuted" at the window's end: not facts (absent from older drafts). */
    refuted: z.array(DraftLogItem).default([]),
    tasks: z
      .object({
        created: z.array(DraftTask),
        moved: z.array(DraftTaskMove),
        done: z.array(DraftTask),
        /** At the end of the window. */
        inProgress: z.array(DraftTask),
        blocked: z.array(DraftTask),
      })
      .strict(),
    /**
     * Decisions that moved in the window, each in exactly one list by its status at the window's
     * end: `approved` the decisions taken (approved, or since superseded or revoked: marked by
     * `status` and `replacedBy`), `rejected`, `proposed` (still awaited). `pending` is every
     * decision awaited at the window's end, moved in the window or not: the draft's needs.
     */
    decisions: z.object({ approved: z.array(DraftDecision), proposed: z.array(DraftDecision), pending: z.array(DraftDecision), rejected: z.array(DraftDecision).default([]) }).strict(),
    /** Open needs at the end of the window: blocked tasks, decisions awaited. */
    needs: z.array(z.object({ kind: z.enum(['blockedTask', 'pendingDecision']), id: IdSchema, title: z.string() }).strict()),
    sections: ReportSectionsSchema,
  })
  .strict();
export type ComputedDraft = z.infer<typeof ComputedDraftSchema>;
export type DraftLogEntry = z.infer<typeof DraftLogItem>;
export type DraftTaskItem = z.infer<typeof DraftTask>;
export type DraftDecisionItem = z.infer<typeof DraftDecision>;
