import { type ExerciseClock, ExerciseClockSchema, exerciseMsAt } from '../../shared/exercise/exerciseState';
import { exerciseMsAtReal, exerciseTimeText, realMsAtExercise } from '../../shared/exercise/exerciseTime';
import { clockState, lateAfter, regulatoryClocks } from '../../shared/timeline/deadlines';
import { nextReportAtPublishing, reportCount } from '../../shared/model/reportCadence';
import { IncidentMetaSchema } from '../../shared/model/incident';
import { newClock, pauseClock, resumeClock, setClockSpeed, startClock } from '../../server/exercise/exerciseClock';
import { type FakeClock, freezeClock } from '../helpers/fakeClock';

const MIN = 60_000;
const HOUR = 60 * MIN;

let fake: FakeClock;
beforeEach(() => {
  fake = freezeClock();
});
afterEach(() => fake.restore());

const now = () => new Date(fake.now());
/** Moves the fake clock and answers the real instant, in ms. */
const later = (ms: number) => {
  fake.advance(ms);
  return fake.now();
};

/**
 * A clock moved by the animator the way the service moves it, on the faked `Date`: started at
 * ×60, paused after 1 real minute (1 h of exercise), resumed 10 real minutes later, sped up to
 * ×120 after 1 more real minute (2 h), run 1 more real minute (4 h).
 */
function playedClock() {
  const t0 = fake.now();
  let clock = startClock(setClockSpeed(newClock(), 60, now()), now());
  const tPause = later(MIN);
  clock = pauseClock(clock, now());
  const tResume = later(10 * MIN);
  clock = resumeClock(clock, now());
  const tSpeed = later(MIN);
  clock = setClockSpeed(clock, 120, now());
  const tEnd = later(MIN);
  return { clock, t0, tPause, tResume, tSpeed, tEnd };
}

test('a recorded real instant converts to exercise time through pauses and changes of speed; before the start it is 0', () => {
  const { clock, t0, tPause, tResume, tSpeed, tEnd } = playedClock();
  expect(clock.history.map((a) => [a.running, a.factor, a.exerciseMs])).toEqual([
    [true, 60, 0],
    [false, 60, HOUR],
    [true, 60, HOUR],
    [true, 120, 2 * HOUR],
  ]);
  expect(exerciseMsAtReal(clock, t0 - HOUR)).toBe(0);
  expect(exerciseMsAtReal(clock, t0)).toBe(0);
  expect(exerciseMsAtReal(clock, t0 + 30_000)).toBe(HOUR / 2);
  // Paused: every instant of the pause reads the same exercise time.
  expect(exerciseMsAtReal(clock, tPause)).toBe(HOUR);
  expect(exerciseMsAtReal(clock, tPause + 5 * MIN)).toBe(HOUR);
  expect(exerciseMsAtReal(clock, tResume)).toBe(HOUR);
  expect(exerciseMsAtReal(clock, tResume + 30_000)).toBe(1.5 * HOUR);
  expect(exerciseMsAtReal(clock, tSpeed + 30_000)).toBe(3 * HOUR);
  // The present agrees with the clock's own reading.
  expect(exerciseMsAtReal(clock, tEnd)).toBe(exerciseMsAt(clock, now()));
  expect(exerciseMsAt(clock, now())).toBe(4 * HOUR);
});

test('the real instant of an exercise time: in the past through the history, ahead at the present speed, none while paused short of it', () => {
  const { clock, t0, tResume, tSpeed, tEnd } = playedClock();
  expect(realMsAtExercise(clock, 0)).toBe(t0);
  expect(realMsAtExercise(clock, HOUR / 2)).toBe(t0 + 30_000);
  // Reached at the pause; the first instant it read so counts.
  expect(realMsAtExercise(clock, 1.5 * HOUR)).toBe(tResume + 30_000);
  expect(realMsAtExercise(clock, 3 * HOUR)).toBe(tSpeed + 30_000);
  expect(realMsAtExercise(clock, 6 * HOUR)).toBe(tEnd + MIN);
  const paused = pauseClock(clock, now());
  expect(realMsAtExercise(paused, 3 * HOUR)).toBe(tSpeed + 30_000);
  expect(realMsAtExercise(paused, 6 * HOUR)).toBeNull();
  expect(realMsAtExercise(newClock(), 0)).toBeNull();
  expect(exerciseTimeText(75 * HOUR + 5 * MIN)).toBe('T+75:05');
});

test('a clock stored before its moves were kept still converts: linear from its start, never past its reading', () => {
  const t0 = fake.now();
  const legacy: ExerciseClock = ExerciseClockSchema.parse({ status: 'running', factor: 60, exerciseMsAtAnchor: HOUR, anchorAt: new Date(t0 + 2 * MIN).toISOString(), startedAt: new Date(t0).toISOString() });
  expect(legacy.history).toEqual([]);
  expect(exerciseMsAtReal(legacy, t0 - MIN)).toBe(0);
  expect(exerciseMsAtReal(legacy, t0 + 30_000)).toBe(HOUR / 2);
  expect(exerciseMsAtReal(legacy, t0 + 90_000)).toBe(HOUR);
  expect(exerciseMsAtReal(legacy, t0 + 3 * MIN)).toBe(2 * HOUR);
});

const meta = (at: number) =>
  IncidentMetaSchema.parse({ id: 'abcdefgh12345678', title: 'Exercice', status: 'open', severity: 'critical', detectedAt: new Date(at).toISOString(), openedAt: new Date(at).toISOString(), closedAt: null, breachAwareAt: null, exercise: true });

test('regulatory clocks count on the exercise clock: the 72 h shrink at its speed, stand still while paused, and are labelled so', () => {
  const t0 = fake.now();
  let clock = startClock(setClockSpeed(newClock(), 60, now()), now());
  // The breach is known 1 real minute in: 1 h of exercise time.
  const aware = new Date(later(MIN)).toISOString();
  later(2 * MIN);
  const m = { ...meta(t0), breachAwareAt: aware };
  const [cnil] = regulatoryClocks(m, [], 'fr', clock);
  expect(cnil!.label).toBe('Notification CNIL (72 h) — horloge d’exercice');
  expect([cnil!.time, cnil!.exercise!.fromSeconds, cnil!.exercise!.dueSeconds]).toEqual(['exercise', 3600, 73 * 3600]);
  // Two exercise hours since awareness: 70 h left (the real clock would say 72 h minus 2 minutes).
  expect(clockState(cnil!, fake.now()).remainingMs).toBe(70 * HOUR);
  expect(Date.parse(lateAfter(cnil!)!)).toBe(t0 + 73 * MIN);
  clock = pauseClock(clock, now());
  const [frozen] = regulatoryClocks(m, [], 'fr', clock);
  later(30 * MIN);
  expect(clockState(frozen!, fake.now()).remainingMs).toBe(70 * HOUR);
  expect(lateAfter(frozen!)).toBeNull();
  // A real incident counts on real time, as before.
  const [real] = regulatoryClocks(m, [], 'fr');
  expect([real!.time, real!.exercise, real!.label]).toEqual(['real', null, 'Notification CNIL (72 h)']);
  expect(clockState(real!, fake.now()).remainingMs).toBe(72 * HOUR - 32 * MIN);
});

test('the NIS2 final report, estimated from the notification deadline, counts a month after that deadline in exercise time', () => {
  const t0 = fake.now();
  const clock = startClock(setClockSpeed(newClock(), 60, now()), now());
  later(MIN);
  const clocks = regulatoryClocks({ ...meta(t0), nis2: true }, [], 'en', clock);
  const notification = clocks.find((c) => c.id === 'nis2-72h')!;
  const final = clocks.find((c) => c.id === 'nis2-final')!;
  expect(notification.label).toBe('NIS2 — incident notification (72 h) — exercise clock');
  expect(final.exercise!.fromSeconds).toBe(notification.exercise!.dueSeconds);
  expect(final.exercise!.dueSeconds - final.exercise!.fromSeconds).toBe((Date.parse(final.due) - Date.parse(final.from)) / 1000);
});

test('report cadence counts on the exercise clock: due a cadence of exercise time after the start, frozen while paused', () => {
  const t0 = fake.now();
  // Opened before the exercise began: the cadence counts from its start.
  later(5 * MIN);
  let clock = startClock(setClockSpeed(newClock(), 60, now()), now());
  const tStart = fake.now();
  later(MIN);
  const count = reportCount(meta(t0), [], now(), clock);
  expect([count.time, count.exerciseDueMs, count.leftMs, count.state]).toEqual(['exercise', 2 * HOUR, HOUR, 'ok']);
  expect(count.due!.getTime()).toBe(tStart + 2 * MIN);
  // Published now, the next one is due a cadence of exercise time later: 2 real minutes at ×60.
  expect(nextReportAtPublishing(meta(t0), now(), clock)).toBe(new Date(fake.now() + 2 * MIN).toISOString());
  clock = pauseClock(clock, now());
  later(10 * MIN);
  const paused = reportCount(meta(t0), [], now(), clock);
  expect([paused.leftMs, paused.due]).toEqual([HOUR, null]);
  expect(nextReportAtPublishing(meta(t0), now(), clock)).toBeNull();
  expect(nextReportAtPublishing(meta(t0), now())).toBe(new Date(fake.now() + 2 * HOUR).toISOString());
  clock = resumeClock(clock, now());
  later(MIN);
  expect(reportCount(meta(t0), [], now(), clock).state).toBe('overdue');
  const real = reportCount(meta(t0), [], now());
  expect([real.time, real.leftMs]).toEqual(['real', 2 * HOUR - 17 * MIN]);
});
