import { type ClockAnchor, type ExerciseState, ExerciseStateSchema } from '../../shared/exercise/exerciseState';
import { ClockReadings } from '../../server/exercise/debrief/clockReadings';
import { delayText, exerciseClockText } from '../../shared/exercise/debrief';

/** The debrief's exercise time of a real time (server/exercise/debrief/clockReadings.ts), without a server. */
const T0 = Date.parse('2026-03-12T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const anchor = (real: number, exercise: number, factor: number, running: boolean): ClockAnchor => ({ at: at(real), exerciseMs: exercise * 1000, factor, running });

function state(clock: Partial<ExerciseState['clock']>): ExerciseState {
  return ExerciseStateSchema.parse({
    incidentId: 'abcdefgh12345678',
    scenarioId: 'drill',
    language: 'fr',
    durationMinutes: 60,
    clock: { status: 'running', factor: 1, exerciseMsAtAnchor: 0, anchorAt: at(0), startedAt: at(0), history: [], ...clock },
    injects: [],
    observations: [],
  });
}

test('exercise time through the clock\'s moves: ×2, a pause, then ×4; none before the start', () => {
  // Started ×2 at 0; paused at real 100 (exercise 200); resumed at real 300; ×4 from real 400 (exercise 400).
  const history = [anchor(0, 0, 2, true), anchor(100, 200, 2, false), anchor(300, 200, 2, true), anchor(400, 400, 4, true)];
  const c = new ClockReadings(state({ factor: 4, anchorAt: at(400), exerciseMsAtAnchor: 400_000, history }), new Date(T0 + 500_000));
  expect(c.exerciseSecondsAt(at(-1))).toBeNull();
  expect([50, 150, 350, 450].map((s) => c.exerciseSecondsAt(at(s)))).toEqual([100, 200, 300, 600]);
  expect(c.now).toBe(800);
});

test('a clock stored before its moves were kept: from its start at its speed, exact from its last anchor', () => {
  const c = new ClockReadings(state({ factor: 2 }), new Date(T0 + 600_000));
  expect(c.exerciseSecondsAt(at(90))).toBe(180);
  const never = new ClockReadings(state({ status: 'ready', anchorAt: null, startedAt: null }), new Date(T0));
  expect(never.exerciseSecondsAt(at(10))).toBeNull();
});

test('exercise times and delays read as people write them', () => {
  expect(exerciseClockText(3_930)).toBe('T+01:05:30');
  expect([delayText(45), delayText(90), delayText(600), delayText(3_900)]).toEqual(['45 s', '1 min 30 s', '10 min', '1 h 05']);
});
