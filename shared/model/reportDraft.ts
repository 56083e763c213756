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
const DraftDecision = z.object({ decisionId: IdSchema, title: z.string(), statement: z.string(), status: DecisionStatusSchema, by: z.string(), at: IsoTimeSchema }).strict();

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
    log: z.array(DraftLogItem),
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
    decisions: z.object({ approved: z.array(DraftDecision), proposed: z.array(DraftDecision), pending: z.array(DraftDecision) }).strict(),
    /** Open needs at the end of the window: blocked tasks, decisions awaited. */
    needs: z.array(z.object({ kind: z.enum(['blockedTask', 'pendingDecision']), id: IdSchema, title: z.string() }).strict()),
    sections: ReportSectionsSchema,
  })
  .strict();
export type ComputedDraft = z.infer<typeof ComputedDraftSchema>;
export type DraftLogEntry = z.infer<typeof DraftLogItem>;
export type DraftTaskItem = z.infer<typeof DraftTask>;
export type DraftDecisionItem = z.infer<typeof DraftDecision>;
