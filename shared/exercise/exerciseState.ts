import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, longText, shortText } from '../model/common';
import { TemplateIdSchema, TemplateLanguageSchema } from '../templates/incidentTemplate';
import { InjectChannelSchema } from './scenario';

/** A user id, as accounts name them. */
const UserIdSchema = IdSchema;
/** Most people one functional role may name. */
export const MAX_ROLE_HOLDERS = 20;

/**
 * The exercise clock. Exercise time = `exerciseMsAtAnchor` + (now − `anchorAt`) × `factor` while
 * running; frozen at `exerciseMsAtAnchor` otherwise. Every start, pause, resume or change of speed
 * moves the anchor, so a change of factor never rewrites time already played.
 */
export const EXERCISE_STATUSES = ['ready', 'running', 'paused'] as const;

/**
 * One move of the clock (start, pause, resume, change of speed while running): from `at` (real
 * time) the clock read `exerciseMs` and ran at `factor`, or stood still. Kept in order, so a real
 * instant recorded in the documents (an awareness time, a publication) converts to exercise
 * time (shared/exercise/exerciseTime.ts).
 */
export const ClockAnchorSchema = z.object({ at: IsoTimeSchema, exerciseMs: z.number().min(0), factor: z.number().positive(), running: z.boolean() }).strict();
export type ClockAnchor = z.infer<typeof ClockAnchorSchema>;
/** Most moves one exercise's clock keeps (a two-hour exercise makes a few dozen). */
export const MAX_CLOCK_ANCHORS = 1_000;

export const ExerciseClockSchema = z
  .object({
    status: z.enum(EXERCISE_STATUSES),
    factor: z.number().positive().max(3_600),
    exerciseMsAtAnchor: z.number().min(0),
    /** Real time of the anchor while running; null otherwise. */
    anchorAt: IsoTimeSchema.nullable(),
    startedAt: IsoTimeSchema.nullable(),
    /** Every move of the clock, oldest first (none on clocks stored before they were kept). */
    history: z.array(ClockAnchorSchema).max(MAX_CLOCK_ANCHORS).default([]),
  })
  .strict();
export type ExerciseClock = z.infer<typeof ExerciseClockSchema>;

export const INJECT_STATUSES = ['pending', 'fired', 'skipped'] as const;

/** One inject of the chronogram, in the exercise's language, with what became of it. */
export const ExerciseInjectSchema = z
  .object({
    id: TemplateIdSchema,
    offsetSeconds: z.number().int().min(0),
    channel: InjectChannelSchema,
    from: shortText(200),
    /** The role id it is addressed to (the scenario's template roles); null: the whole cell. */
    to: TemplateIdSchema.nullable(),
    text: longText(10_000),
    expected: longText(10_000),
    status: z.enum(INJECT_STATUSES),
    /** Written on the spot by an animator, not from the scenario. */
    improvised: z.boolean(),
    firedAt: IsoTimeSchema.nullable(),
    /** Exercise seconds when it reached the players. */
    firedAtExerciseSeconds: z.number().min(0).nullable(),
    /** The log entry that carried it to the players. */
    logEntryId: IdSchema.nullable(),
  })
  .strict();
export type ExerciseInject = z.infer<typeof ExerciseInjectSchema>;

/** An evaluator's timestamped note, in real and exercise time, optionally about one inject. */
export const ObservationSchema = z
  .object({
    id: IdSchema,
    at: IsoTimeSchema,
    exerciseSeconds: z.number().min(0),
    author: PersonSchema,
    text: longText(10_000).min(1),
    injectId: TemplateIdSchema.nullable(),
  })
  .strict();
export type Observation = z.infer<typeof ObservationSchema>;

/**
 * An exercise's server-side state: kept in the store beside the incident (never in a Yjs document
 * players could join) and served by REST to animators and evaluators only.
 */
export const ExerciseStateSchema = z
  .object({
    incidentId: IdSchema,
    scenarioId: TemplateIdSchema,
    language: TemplateLanguageSchema,
    durationMinutes: z.number().int().min(1),
    clock: ExerciseClockSchema,
    injects: z.array(ExerciseInjectSchema),
    observations: z.array(ObservationSchema),
    /** The cell's functional roles of the scenario, labelled in the exercise's language (none on exercises stored before they were kept). */
    roles: z.array(z.object({ id: TemplateIdSchema, label: shortText(200) }).strict()).default([]),
    /** Who holds each functional role (user ids), set by an animator: an inject addressed to a role is a notice to them. */
    roleHolders: z.record(TemplateIdSchema, z.array(UserIdSchema).max(MAX_ROLE_HOLDERS)).default({}),
  })
  .strict();
export type ExerciseState = z.infer<typeof ExerciseStateSchema>;

/**
 * What every member of an exercise may read (players included): the clock, so screens show
 * exercise time and count regulatory deadlines on it, and who holds which functional role, so an
 * inject addressed to a role reaches its holders as a notice. Never the chronogram, the expected
 * reactions or the observations.
 */
export const ExercisePublicSchema = z
  .object({
    incidentId: IdSchema,
    language: TemplateLanguageSchema,
    durationMinutes: z.number().int().min(1),
    clock: ExerciseClockSchema,
    /** Exercise time when the server answered (seconds); clients go on from `clock`. */
    exerciseSeconds: z.number().min(0),
    roles: z.array(z.object({ id: TemplateIdSchema, label: z.string(), holders: z.array(UserIdSchema) }).strict()),
  })
  .strict();
export type ExercisePublic = z.infer<typeof ExercisePublicSchema>;

/** REST bodies. */
export const RoleHoldersBodySchema = z.object({ userIds: z.array(UserIdSchema).max(MAX_ROLE_HOLDERS) }).strict();
export const ExerciseSpeedBodySchema = z.object({ factor: z.number().positive().max(3_600) }).strict();
export const ImprovisedInjectBodySchema = z
  .object({
    channel: InjectChannelSchema,
    from: shortText(200).trim().min(1),
    to: TemplateIdSchema.nullable().default(null),
    text: longText(10_000).trim().min(1),
    expected: longText(10_000).default(''),
  })
  .strict();
export type ImprovisedInject = z.infer<typeof ImprovisedInjectBodySchema>;
export const ObservationBodySchema = z
  .object({ text: longText(10_000).trim().min(1), injectId: TemplateIdSchema.nullable().default(null) })
  .strict();

/** What reading a clock's present time needs (its history aside). */
export type ClockReading = Pick<ExerciseClock, 'status' | 'factor' | 'exerciseMsAtAnchor' | 'anchorAt'>;

/** Exercise time of a clock at `now`, in milliseconds. */
export function exerciseMsAt(clock: ClockReading, now: Date): number {
  if (clock.status !== 'running' || clock.anchorAt === null) return clock.exerciseMsAtAnchor;
  return clock.exerciseMsAtAnchor + Math.max(0, now.getTime() - Date.parse(clock.anchorAt)) * clock.factor;
}
