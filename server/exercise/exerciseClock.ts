import { type ExerciseClock, MAX_CLOCK_ANCHORS, exerciseMsAt } from '../../shared/exercise/exerciseState';
import { AppError } from '../errors';

/**
 * The exercise clock's moves, as pure functions of the stored clock and the real time: each
 * re-anchors the clock, so exercise time = accumulated exercise time + real time since the
 * anchor × factor stays continuous across pauses and changes of speed.
 */
export function newClock(): ExerciseClock {
  return { status: 'ready', factor: 1, exerciseMsAtAnchor: 0, anchorAt: null, startedAt: null, history: [] };
}

/** The clock after a move, with the move kept in its history (recorded instants convert to exercise time through it). */
function anchored(next: ExerciseClock, now: Date): ExerciseClock {
  if (next.history.length >= MAX_CLOCK_ANCHORS) throw new AppError('EXERCISE_STATE', `the exercise clock has moved ${MAX_CLOCK_ANCHORS} times: no more moves`);
  const anchor = { at: now.toISOString(), exerciseMs: exerciseMsAt(next, now), factor: next.factor, running: next.status === 'running' };
  return { ...next, history: [...next.history, anchor] };
}

export function startClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'ready') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}: it starts once (resume a paused one)`);
  return anchored({ ...clock, status: 'running', anchorAt: now.toISOString(), startedAt: now.toISOString() }, now);
}

export function pauseClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'running') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}, not running`);
  return anchored({ ...clock, status: 'paused', exerciseMsAtAnchor: exerciseMsAt(clock, now), anchorAt: null }, now);
}

export function resumeClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'paused') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}, not paused`);
  return anchored({ ...clock, status: 'running', anchorAt: now.toISOString() }, now);
}

export function setClockSpeed(clock: ExerciseClock, factor: number, now: Date): ExerciseClock {
  if (clock.status !== 'running') return { ...clock, factor };
  return anchored({ ...clock, factor, exerciseMsAtAnchor: exerciseMsAt(clock, now), anchorAt: now.toISOString() }, now);
}

/** Real milliseconds from `now` until the clock reads `exerciseMs`; null when it is not running. */
export function realMsUntil(clock: ExerciseClock, exerciseMs: number, now: Date): number | null {
  if (clock.status !== 'running') return null;
  return Math.max(0, (exerciseMs - exerciseMsAt(clock, now)) / clock.factor);
}
