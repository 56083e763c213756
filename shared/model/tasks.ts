import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, longText, shortText } from './common';

/** Longest description of a task (characters); the web client refuses longer text before saving, with this number. */
export const MAX_TASK_DESCRIPTION_CHARS = 10_000;

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/** The fields a task holds in its Y.Map; each is written alone so concurrent edits of different fields merge. */
export const TaskFieldsSchema = z
  .object({
    id: IdSchema,
    title: shortText(300).min(1),
    description: longText(MAX_TASK_DESCRIPTION_CHARS),
    status: TaskStatusSchema,
    assignee: PersonSchema.nullable(),
    dueAt: IsoTimeSchema.nullable(),
    priority: PrioritySchema,
    /** Position within its column: a fraction between neighbours, so a move writes one field. */
    order: z.number().finite(),
    logLinks: z.array(IdSchema).max(200),
    decisionLinks: z.array(IdSchema).max(200),
    createdBy: PersonSchema,
    createdAt: IsoTimeSchema,
  })
  .strict();
export type Task = z.infer<typeof TaskFieldsSchema>;
export type TaskField = keyof Task;

export const TaskInputSchema = z
  .object({
    title: shortText(300).trim().min(1),
    description: longText(MAX_TASK_DESCRIPTION_CHARS).default(''),
    status: TaskStatusSchema.default('todo'),
    assignee: PersonSchema.nullable().default(null),
    dueAt: IsoTimeSchema.nullable().default(null),
    priority: PrioritySchema.default('normal'),
    logLinks: z.array(IdSchema).max(200).default([]),
    decisionLinks: z.array(IdSchema).max(200).default([]),
  })
  .strict();
export type TaskInput = z.input<typeof TaskInputSchema>;

/** Fields a task edit may change after creation (identity and provenance never change). */
export const TaskPatchSchema = TaskFieldsSchema.omit({ id: true, createdBy: true, createdAt: true }).partial().strict();
export type TaskPatch = z.infer<typeof TaskPatchSchema>;
