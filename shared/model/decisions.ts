import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, longText, shortText } from './common';

export const DECISION_STATUSES = ['proposed', 'approved', 'rejected', 'superseded', 'revoked'] as const;
export const DecisionStatusSchema = z.enum(DECISION_STATUSES);
export type DecisionStatus = z.infer<typeof DecisionStatusSchema>;

/** Every status change is kept: who moved the decision to which status, when, and why. */
export const DecisionStatusChangeSchema = z
  .object({
    status: DecisionStatusSchema,
    at: IsoTimeSchema,
    by: PersonSchema,
    note: shortText(1_000).nullable(),
  })
  .strict();
export type DecisionStatusChange = z.infer<typeof DecisionStatusChangeSchema>;

/** Longest decision statement (characters); the server refuses text growing past it. */
export const DECISION_STATEMENT_MAX = 20_000;

/**
 * Plain fields of a decision's Y.Map. The statement is drafted together, so it is a Y.Text
 * stored beside these fields under `statement`; the status history is a Y.Array of changes.
 */
export const DecisionFieldsSchema = z
  .object({
    id: IdSchema,
    title: shortText(300).min(1),
    options: z.array(shortText(2_000)).max(20),
    rationale: longText(20_000),
    basedOn: z.array(IdSchema).max(200),
    decidedBy: PersonSchema.nullable(),
    decidedAt: IsoTimeSchema.nullable(),
    status: DecisionStatusSchema,
    supersedes: IdSchema.nullable(),
    followUpTasks: z.array(IdSchema).max(200),
    createdBy: PersonSchema,
    createdAt: IsoTimeSchema,
  })
  .strict();
export type DecisionFields = z.infer<typeof DecisionFieldsSchema>;
export type DecisionField = keyof DecisionFields;

export const DecisionSchema = DecisionFieldsSchema.extend({
  // Not bounded on reading: the guard bounds what is written, and a statement that got past it
  // (several inserts in one update) must not make the whole decision unreadable.
  statement: z.string(),
  history: z.array(DecisionStatusChangeSchema),
}).strict();
export type Decision = z.infer<typeof DecisionSchema>;

export const DecisionInputSchema = z
  .object({
    title: shortText(300).trim().min(1),
    statement: longText(DECISION_STATEMENT_MAX).default(''),
    options: z.array(shortText(2_000)).max(20).default([]),
    rationale: longText(20_000).default(''),
    basedOn: z.array(IdSchema).max(200).default([]),
    status: DecisionStatusSchema.default('proposed'),
    supersedes: IdSchema.nullable().default(null),
    followUpTasks: z.array(IdSchema).max(200).default([]),
  })
  .strict();
export type DecisionInput = z.input<typeof DecisionInputSchema>;

export const DecisionPatchSchema = DecisionFieldsSchema.pick({
  title: true,
  options: true,
  rationale: true,
  basedOn: true,
  followUpTasks: true,
})
  .partial()
  .strict();
export type DecisionPatch = z.infer<typeof DecisionPatchSchema>;
