import { exerciseMsAt } from '../../shared/exercise/exerciseState';
import { injectOffsetSeconds } from '../../shared/exercise/scenario';
import { newClock, pauseClock, realMsUntil, resumeClock, setClockSpeed, startClock } from '../../server/exercise/exerciseClock';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, 0) + s * 1000);

test('inject offsets read as seconds or HH:MM', () => {
  expect([injectOffsetSeconds(90), injectOffsetSeconds('01:10'), injectOffsetSeconds('T+00:45'), injectOffsetSeconds('00:00:30')]).toEqual([90, 4200, 2700, 30]);
});

test('exercise time is accumulated real time × factor: pauses freeze it, a new speed applies from its change on', () => {
  let clock = setClockSpeed(newClock(), 60, at(0));
  expect(exerciseMsAt(clock, at(100))).toBe(0);
  clock = startClock(clock, at(10));
  expect(exerciseMsAt(clock, at(20))).toBe(600_000);
  clock = pauseClock(clock, at(20));
  expect(exerciseMsAt(clock, at(500))).toBe(600_000);
  expect(realMsUntil(clock, 900_000, at(500))).toBeNull();
  clock = resumeClock(clock, at(500));
  expect(exerciseMsAt(clock, at(505))).toBe(900_000);
  clock = setClockSpeed(clock, 120, at(505));
  expect(exerciseMsAt(clock, at(506))).toBe(1_020_000);
  expect(realMsUntil(clock, 1_260_000, at(506))).toBe(2_000);
  expect(() => startClock(clock, at(507))).toThrow(expect.objectContaining({ code: 'EXERCISE_STATE' }));
  expect(() => resumeClock(clock, at(507))).toThrow(expect.objectContaining({ code: 'EXERCISE_STATE' }));
});
