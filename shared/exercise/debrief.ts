import { z } from 'zod';
import { IdSchema, IsoTimeSchema } from '../model/common';
import { DecisionStatusSchema } from '../model/decisions';
import { LangSchema } from '../i18n/lang';
import { ExportAudienceSchema } from '../timeline/audience';
import { TemplateIdSchema } from '../templates/incidentTemplate';
import { EXERCISE_STATUSES, INJECT_STATUSES, ObservationSchema } from './exerciseState';
import { InjectChannelSchema } from './scenario';

/**
 * The exercise debrief (RETEX, issue 17): each inject beside the cell's first reaction to it,
 * the expected reaction, the evaluators' observations, the decisions and reports produced.
 * Built on the server from the exercise state and the timeline replayed from the journal
 * (server/exercise/debrief/), served as JSON (this shape), Markdown, PDF and SVG.
 */
export const DEBRIEF_FORMATS = ['json', 'md', 'pdf', 'svg'] as const;
export const DebriefFormatSchema = z.enum(DEBRIEF_FORMATS);
export type DebriefFormat = z.infer<typeof DebriefFormatSchema>;

/** What a reaction is: a log entry answering the inject (`replyTo`), a task linking it (`logLinks`), a decision based on it (`basedOn`). */
export const REACTION_KINDS = ['log', 'task', 'decision'] as const;
export const ReactionKindSchema = z.enum(REACTION_KINDS);
export type ReactionKind = z.infer<typeof ReactionKindSchema>;

/**
 * Exercise seconds of a real time, through the clock's history of moves (pauses and changes of
 * speed included: shared/exercise/exerciseTime.ts). Null before the exercise started.
 */
const ExerciseSecondsSchema = z.number().min(0).nullable();

export const DebriefReactionSchema = z
  .object({
    kind: ReactionKindSchema,
    /** The log entry's, task's or decision's id. */
    id: IdSchema,
    /** Server time it referred to the inject (the journal's). */
    at: IsoTimeSchema,
    exerciseSeconds: ExerciseSecondsSchema,
    author: z.string(),
    /** The entry's text, the task's or decision's title. */
    text: z.string(),
    /** Real seconds after the inject reached the players. */
    delaySeconds: z.number(),
    /** Exercise seconds after it (null when either time has none). */
    delayExerciseSeconds: z.number().nullable(),
  })
  .strict();
export type DebriefReaction = z.infer<typeof DebriefReactionSchema>;

/** An evaluator's observation as the debrief prints it (the author's name may be an anonymised label). */
export const DebriefObservationSchema = ObservationSchema.extend({ author: z.string(), text: z.string() }).strict();
export type DebriefObservation = z.infer<typeof DebriefObservationSchema>;

export const DebriefInjectSchema = z
  .object({
    id: TemplateIdSchema,
    status: z.enum(INJECT_STATUSES),
    improvised: z.boolean(),
    offsetSeconds: z.number().int().min(0),
    channel: InjectChannelSchema,
    from: z.string(),
    /** The role id it was addressed to; null: the whole cell. */
    to: TemplateIdSchema.nullable(),
    /** That role as the scenario names it, in the debrief's language (null: the whole cell, or a role the scenario no longer has). */
    toLabel: z.string().nullable(),
    text: z.string(),
    expected: z.string(),
    firedAt: IsoTimeSchema.nullable(),
    firedAtExerciseSeconds: z.number().min(0).nullable(),
    logEntryId: IdSchema.nullable(),
    /** The cell's first reaction that refers to it; null: none (or never fired). */
    reaction: DebriefReactionSchema.nullable(),
    /** The evaluators' observations about this inject. */
    observations: z.array(DebriefObservationSchema),
  })
  .strict();
export type DebriefInject = z.infer<typeof DebriefInjectSchema>;

export const DebriefDecisionSchema = z
  .object({
    id: IdSchema,
    title: z.string(),
    statement: z.string(),
    /** Its status at the end of the journal. */
    status: DecisionStatusSchema,
    /** When it was first recorded (server time), and by whom. */
    at: IsoTimeSchema,
    exerciseSeconds: ExerciseSecondsSchema,
    author: z.string(),
  })
  .strict();
export type DebriefDecision = z.infer<typeof DebriefDecisionSchema>;

export const DebriefReportSchema = z
  .object({
    id: IdSchema,
    number: z.number().int().positive(),
    at: IsoTimeSchema,
    exerciseSeconds: ExerciseSecondsSchema,
    publishedBy: z.string(),
    conditions: z.string(),
  })
  .strict();
export type DebriefReport = z.infer<typeof DebriefReportSchema>;

/** The picture's lanes below the injects' one. */
export const ACTIVITY_LANES = ['log', 'task', 'decision', 'report'] as const;
export type ActivityLane = (typeof ACTIVITY_LANES)[number];

/** Everything the cell wrote during the exercise, one mark each on the picture's lanes. */
export const DebriefActivitySchema = z.object({ lane: z.enum(ACTIVITY_LANES), at: IsoTimeSchema, exerciseSeconds: ExerciseSecondsSchema }).strict();
export type DebriefActivity = z.infer<typeof DebriefActivitySchema>;

export const DebriefSchema = z
  .object({
    format: z.literal('crisis-cell-debrief'),
    version: z.literal(1),
    incident: z.object({ id: IdSchema, title: z.string() }).strict(),
    scenarioId: TemplateIdSchema,
    /** The language the exercise was played in, and the one this debrief is written in. */
    exerciseLanguage: LangSchema,
    lang: LangSchema,
    timeZone: z.string(),
    audience: ExportAudienceSchema,
    producedAt: IsoTimeSchema,
    producedBy: z.string(),
    clock: z
      .object({
        status: z.enum(EXERCISE_STATUSES),
        factor: z.number().positive(),
        startedAt: IsoTimeSchema.nullable(),
        /** Exercise seconds when the debrief was produced. */
        exerciseSeconds: z.number().min(0),
        durationMinutes: z.number().int().min(1),
      })
      .strict(),
    /** The journal heads the debrief was built from (`crisis-cell verify --head`). */
    journalHeadRef: z.string(),
    injects: z.array(DebriefInjectSchema),
    /** Observations about no inject in particular. */
    observations: z.array(DebriefObservationSchema),
    decisions: z.array(DebriefDecisionSchema),
    reports: z.array(DebriefReportSchema),
    activity: z.array(DebriefActivitySchema),
  })
  .strict();
export type Debrief = z.infer<typeof DebriefSchema>;

/** "T+01:05:30": an exercise time as the chronogram writes offsets. */
export function exerciseClockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `T+${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** A delay as people read it: "45 s", "12 min 05 s", "1 h 05". */
export function delayText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${String(s % 60).padStart(2, '0')} s` : ''}`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}
