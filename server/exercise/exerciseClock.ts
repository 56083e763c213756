import { type ExerciseClock, exerciseMsAt } from '../../shared/exercise/exerciseState';
import { AppError } from '../errors';

/**
 * The exercise clock's moves, as pure functions of the stored clock and the real time: each
 * re-anchors the clock, so exercise time = accumulated exercise time + real time since the
 * anchor × factor stays continuous across pauses and changes of speed.
 */
export function newClock(): ExerciseClock {
  return { status: 'ready', factor: 1, exerciseMsAtAnchor: 0, anchorAt: null, startedAt: null };
}

export function startClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'ready') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}: it starts once (resume a paused one)`);
  return { ...clock, status: 'running', anchorAt: now.toISOString(), startedAt: now.toISOString() };
}

export function pauseClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'running') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}, not running`);
  return { ...clock, status: 'paused', exerciseMsAtAnchor: exerciseMsAt(clock, now), anchorAt: null };
}

export function resumeClock(clock: ExerciseClock, now: Date): ExerciseClock {
  if (clock.status !== 'paused') throw new AppError('EXERCISE_STATE', `the exercise is ${clock.status}, not paused`);
  return { ...clock, status: 'running', anchorAt: now.toISOString() };
}

export function setClockSpeed(clock: ExerciseClock, factor: number, now: Date): ExerciseClock {
  if (clock.status !== 'running') return { ...clock, factor };
  return { ...clock, factor, exerciseMsAtAnchor: exerciseMsAt(clock, now), anchorAt: now.toISOString() };
}

/** Real milliseconds from `now` until the clock reads `exerciseMs`; null when it is not running. */
export function realMsUntil(clock: ExerciseClock, exerciseMs: number, now: Date): number | null {
  if (clock.status !== 'running') return null;
  return Math.max(0, (exerciseMs - exerciseMsAt(clock, now)) / clock.factor);
}
