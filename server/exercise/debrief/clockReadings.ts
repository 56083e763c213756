import { type ExerciseState, exerciseMsAt } from '../../../shared/exercise/exerciseState';
import { exerciseMsAtReal } from '../../../shared/exercise/exerciseTime';

/**
 * Exercise time of the real instants the journal records (a reply, a task, a decision), through
 * the clock's history of moves (shared/exercise/exerciseTime.ts): exact across pauses and
 * changes of speed. Null before the exercise started.
 */
export class ClockReadings {
  private readonly clock: ExerciseState['clock'];
  private readonly nowSeconds: number;

  constructor(state: ExerciseState, now: Date) {
    this.clock = state.clock;
    this.nowSeconds = exerciseMsAt(state.clock, now) / 1000;
  }

  /** Exercise seconds of the clock when the debrief is produced. */
  get now(): number {
    return this.nowSeconds;
  }

  exerciseSecondsAt(at: string): number | null {
    const t = Date.parse(at);
    const started = this.clock.history[0]?.at ?? this.clock.startedAt;
    if (started === null || t < Date.parse(started)) return null;
    return exerciseMsAtReal(this.clock, t) / 1000;
  }
}
