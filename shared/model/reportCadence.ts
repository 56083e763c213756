import type { Severity } from './common';
import type { IncidentMeta } from './incident';
import type { Report } from './reports';
import { type ExerciseClock, exerciseMsAt } from '../exercise/exerciseState';
import { exerciseMsAtReal, realMsAtExercise } from '../exercise/exerciseTime';

/**
 * How often a situation report is due when the director has not set a cadence
 * (`reportCadenceMinutes` in the metadata): every 2 hours for a critical incident, 3 for a high
 * one, 4 otherwise. A suggestion the director overrides per incident.
 */
export const DEFAULT_CADENCE_MINUTES: Record<Severity, number> = { critical: 120, high: 180, medium: 240, low: 240 };
export const MIN_CADENCE_MINUTES = 1;
export const MAX_CADENCE_MINUTES = 24 * 60;

export function cadenceMinutes(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes'>): number {
  return meta.reportCadenceMinutes ?? DEFAULT_CADENCE_MINUTES[meta.severity];
}

/** How far ahead of the server clock a client's time may be (clock skew); the server refuses more. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A time as milliseconds, or null when it does not parse or lies beyond `now` plus the skew. */
export function pastTimeMs(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms <= now.getTime() + CLOCK_SKEW_MS ? ms : null;
}

/**
 * The latest published report (by publication time, compared as times, not strings), or null.
 * A publication time in the future (beyond the clock skew) is ignored: one bad record, published
 * before the server checked, must not pin the countdown.
 */
export function lastPublished(reports: readonly Report[], now: Date = new Date()): Report | null {
  let last: Report | null = null;
  let lastMs = -Infinity;
  for (const r of reports) {
    if (r.status !== 'published') continue;
    const ms = pastTimeMs(r.publishedAt, now);
    if (ms === null || ms <= lastMs) continue;
    last = r;
    lastMs = ms;
  }
  return last;
}

/**
 * When the next report is due: the last publication (or the incident's opening) plus the
 * cadence. A published report's own `nextReportAt` is not used: the cadence can change after.
 */
export function nextReportDue(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes' | 'openedAt'>, reports: readonly Report[], now: Date = new Date()): Date {
  const last = lastPublished(reports, now);
  const base = Date.parse(last?.publishedAt ?? meta.openedAt);
  return new Date(base + cadenceMinutes(meta) * 60_000);
}

export type DueState = 'ok' | 'soon' | 'overdue';

/** "soon" in the last 15 minutes (or the last eighth of a short cadence), "overdue" once past. */
export function dueState(due: Date, now: Date, cadence: number): DueState {
  return dueStateOfLeft(due.getTime() - now.getTime(), cadence);
}

function dueStateOfLeft(left: number, cadence: number): DueState {
  if (left <= 0) return 'overdue';
  return left <= Math.min(15, cadence / 8) * 60_000 ? 'soon' : 'ok';
}

/** The next report's countdown, on real time or, in an exercise, on the exercise clock. */
export interface ReportCount {
  time: 'real' | 'exercise';
  /** Real instant it is due (in an exercise: when the exercise clock reaches it at its present speed; null while paused short of it). */
  due: Date | null;
  /** Time left (negative once overdue), in the time it counts on. */
  leftMs: number;
  state: DueState;
  /** In an exercise: the exercise time (ms since it began) it is due at; null on real time. */
  exerciseDueMs: number | null;
}

/**
 * The next report's countdown at `now`. In an exercise (its clock given) the last publication
 * (or the opening, before the exercise began: its start) converts to exercise time and the
 * cadence counts on from there, so at ×60 a two-hour cadence passes in two real minutes, and
 * the countdown stands still while the clock is paused.
 */
export function reportCount(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes' | 'openedAt'>, reports: readonly Report[], now: Date, exercise: ExerciseClock | null = null): ReportCount {
  const cadence = cadenceMinutes(meta);
  if (exercise === null) {
    const due = nextReportDue(meta, reports, now);
    const leftMs = due.getTime() - now.getTime();
    return { time: 'real', due, leftMs, state: dueStateOfLeft(leftMs, cadence), exerciseDueMs: null };
  }
  const base = Date.parse(lastPublished(reports, now)?.publishedAt ?? meta.openedAt);
  const exerciseDueMs = exerciseMsAtReal(exercise, base) + cadence * 60_000;
  const leftMs = exerciseDueMs - exerciseMsAt(exercise, now);
  const realDue = realMsAtExercise(exercise, exerciseDueMs);
  return { time: 'exercise', due: realDue === null ? null : new Date(realDue), leftMs, state: dueStateOfLeft(leftMs, cadence), exerciseDueMs };
}

/**
 * The next report's due time written on a report published at `now`: one cadence later, in an
 * exercise one cadence of exercise time later, as the real instant the exercise clock reaches it
 * at its present speed (null while it stands still: no real instant to write).
 */
export function nextReportAtPublishing(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes'>, now: Date, exercise: ExerciseClock | null = null): string | null {
  const cadenceMs = cadenceMinutes(meta) * 60_000;
  if (exercise === null) return new Date(now.getTime() + cadenceMs).toISOString();
  const at = realMsAtExercise(exercise, exerciseMsAt(exercise, now) + cadenceMs);
  return at === null ? null : new Date(at).toISOString();
}
