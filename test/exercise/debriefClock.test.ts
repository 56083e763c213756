import type { ExerciseState } from '../../shared/exercise/exerciseState';
import { ClockReadings } from '../../server/exercise/debrief/clockReadings';
import { delayText, exerciseClockText } from '../../shared/exercise/debrief';

/** The debrief's exercise time of a real time (server/exercise/debrief/clockReadings.ts), without a server. */
const T0 = Date.parse('2026-03-12T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function state(clock: Partial<ExerciseState['clock']>, fired: Array<[number, number]>, observed: Array<[number, number]> = []): ExerciseState {
  return {
    incidentId: 'abcdefgh12345678',
    scenarioId: 'drill',
    language: 'fr',
    durationMinutes: 60,
    clock: { status: 'running', factor: 1, exerciseMsAtAnchor: 0, anchorAt: at(0), startedAt: at(0), ...clock },
    injects: fired.map(([real, ex], i) => ({ id: `i${i}`, offsetSeconds: ex, channel: 'phone', from: 'X', to: null, text: 't', expected: '', status: 'fired', improvised: false, firedAt: at(real), firedAtExerciseSeconds: ex, logEntryId: null })),
    observations: observed.map(([real, ex], i) => ({ id: `obs${i}abcdefgh`, at: at(real), exerciseSeconds: ex, author: 'E', text: 'o', injectId: null })),
  };
}

test('while the clock runs from its anchor, exercise time is exact; before the start there is none', () => {
  const c = new ClockReadings(state({ factor: 2 }, [[60, 120]]), new Date(T0 + 600_000));
  expect(c.exerciseSecondsAt(at(-1))).toBeNull();
  expect(c.exerciseSecondsAt(at(90))).toBe(180);
  expect(c.now).toBe(1200);
});

test('before the last anchor, exercise time is read between the clock\'s known readings', () => {
  // Ran ×1 from 0, sped up to ×4 at real 100 (the anchor now), readings at 40 and 100.
  const c = new ClockReadings(state({ factor: 4, anchorAt: at(100), exerciseMsAtAnchor: 100_000 }, [[40, 40]]), new Date(T0 + 200_000));
  expect(c.exerciseSecondsAt(at(70))).toBe(70);
  expect(c.exerciseSecondsAt(at(150))).toBe(300);
});

test('after a pause, exercise time never passes the paused clock', () => {
  const c = new ClockReadings(state({ status: 'paused', anchorAt: null, exerciseMsAtAnchor: 200_000 }, [[100, 100]]), new Date(T0 + 900_000));
  expect(c.exerciseSecondsAt(at(150))).toBe(150);
  expect(c.exerciseSecondsAt(at(800))).toBe(200);
  expect(c.now).toBe(200);
});

test('exercise times and delays read as people write them', () => {
  expect(exerciseClockText(3_930)).toBe('T+01:05:30');
  expect([delayText(45), delayText(90), delayText(600), delayText(3_900)]).toEqual(['45 s', '1 min 30 s', '10 min', '1 h 05']);
});
