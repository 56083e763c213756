import { type ExerciseState, exerciseMsAt } from '../../../shared/exercise/exerciseState';

interface Reading {
  realMs: number;
  exerciseSeconds: number;
}

/**
 * Exercise time of any real time of an exercise. The store keeps the clock's last anchor, not
 * its whole history, so: exact from the last anchor on while the clock runs; before that,
 * interpolated between the clock's readings the state records (the start, each inject fired,
 * each observation) — exact unless the exercise was paused or changed speed between two of
 * them. Null before the exercise started.
 */
export class ClockReadings {
  private readonly readings: Reading[];
  private readonly clock: ExerciseState['clock'];
  private readonly nowSeconds: number;

  constructor(state: ExerciseState, now: Date) {
    this.clock = state.clock;
    this.nowSeconds = exerciseMsAt(state.clock, now) / 1000;
    const readings: Reading[] = [];
    if (state.clock.startedAt) readings.push({ realMs: Date.parse(state.clock.startedAt), exerciseSeconds: 0 });
    for (const i of state.injects) if (i.firedAt && i.firedAtExerciseSeconds !== null) readings.push({ realMs: Date.parse(i.firedAt), exerciseSeconds: i.firedAtExerciseSeconds });
    for (const o of state.observations) readings.push({ realMs: Date.parse(o.at), exerciseSeconds: o.exerciseSeconds });
    if (state.clock.status === 'running' && state.clock.anchorAt) readings.push({ realMs: Date.parse(state.clock.anchorAt), exerciseSeconds: state.clock.exerciseMsAtAnchor / 1000 });
    this.readings = readings.sort((a, b) => a.realMs - b.realMs || a.exerciseSeconds - b.exerciseSeconds);
  }

  /** Exercise seconds of the clock when the debrief is produced. */
  get now(): number {
    return this.nowSeconds;
  }

  exerciseSecondsAt(at: string): number | null {
    const t = Date.parse(at);
    const first = this.readings[0];
    if (!first || t < first.realMs) return null;
    const { clock } = this;
    if (clock.status === 'running' && clock.anchorAt && t >= Date.parse(clock.anchorAt)) return exerciseMsAt(clock, new Date(t)) / 1000;
    let before = first;
    for (const r of this.readings) {
      if (r.realMs > t) {
        // Between two readings: the straight line from one to the next.
        const span = r.realMs - before.realMs;
        const part = span === 0 ? 0 : (t - before.realMs) / span;
        return before.exerciseSeconds + part * (r.exerciseSeconds - before.exerciseSeconds);
      }
      before = r;
    }
    // After the last reading (the clock paused or stopped since): at the last known speed, never past the clock's reading now.
    return Math.min(this.nowSeconds, before.exerciseSeconds + ((t - before.realMs) / 1000) * clock.factor);
  }
}
