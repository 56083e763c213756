import { type ClockReading, type ExerciseClock, exerciseMsAt } from './exerciseState';

/**
 * Exercise time for countdowns (issue 17): in an exercise, regulatory deadlines and the report
 * cadence count on the exercise clock, which may run at ×N or stand still. The documents and the
 * journal keep real instants (the evidence is never confused), so the instant a deadline counts
 * from is converted to exercise time through the clock's history of moves. Pure functions, used
 * by the server's regulatory overview and the web client alike.
 */

/** Exercise time (ms) the clock read at a real instant: 0 before the start, frozen while paused. */
export function exerciseMsAtReal(clock: ExerciseClock, realMs: number): number {
  if (clock.history.length === 0) return legacyMsAtReal(clock, realMs);
  let value = 0;
  for (const anchor of clock.history) {
    const at = Date.parse(anchor.at);
    if (at > realMs) break;
    value = anchor.running ? anchor.exerciseMs + (realMs - at) * anchor.factor : anchor.exerciseMs;
  }
  return value;
}

/**
 * A clock stored before its moves were kept: as if it had run at its factor from its start with
 * no pause, never past what it reads at that instant. Exact from its last anchor on.
 */
function legacyMsAtReal(clock: ExerciseClock, realMs: number): number {
  if (clock.startedAt === null) return 0;
  const sinceStart = Math.max(0, realMs - Date.parse(clock.startedAt)) * clock.factor;
  if (clock.anchorAt !== null && realMs >= Date.parse(clock.anchorAt)) return exerciseMsAt(clock, new Date(realMs));
  return Math.min(sinceStart, exerciseMsAt(clock, new Date(realMs)));
}

/**
 * The real instant (ms) the clock reached, or at its present speed will reach, `exerciseMs`;
 * null when it has not started, or stands still short of it.
 */
export function realMsAtExercise(clock: ExerciseClock, exerciseMs: number): number | null {
  const anchors = clock.history;
  if (anchors.length === 0) {
    if (clock.startedAt === null) return null;
    if (clock.status === 'running' && clock.anchorAt !== null) return Date.parse(clock.anchorAt) + (exerciseMs - clock.exerciseMsAtAnchor) / clock.factor;
    return exerciseMs <= clock.exerciseMsAtAnchor ? Date.parse(clock.startedAt) + exerciseMs / clock.factor : null;
  }
  if (exerciseMs <= anchors[0]!.exerciseMs) return Date.parse(anchors[0]!.at);
  for (let i = 0; i < anchors.length; i++) {
    const anchor = anchors[i]!;
    const next = anchors[i + 1];
    if (!anchor.running) continue;
    if (next === undefined || exerciseMs <= next.exerciseMs) return Date.parse(anchor.at) + (exerciseMs - anchor.exerciseMs) / anchor.factor;
  }
  return null;
}

/** A clock without its history: what a countdown needs to tick (the starts are converted already). */
export function clockReading(clock: ClockReading): ClockReading {
  return { status: clock.status, factor: clock.factor, exerciseMsAtAnchor: clock.exerciseMsAtAnchor, anchorAt: clock.anchorAt };
}

/** Exercise time as the cell reads it: "T+75:00" (hours and minutes since the exercise began). */
export function exerciseTimeText(exerciseMs: number): string {
  const minutes = Math.floor(Math.max(0, exerciseMs) / 60_000);
  return `T+${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
