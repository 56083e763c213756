import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ExerciseClock, type ExercisePublic, exerciseMsAt } from '../../../../../shared/exercise/exerciseState';
import { type ExerciseView, getExercise, getPublicExercise } from '../../exerciseApi';
import { ApiError } from '../../http';
import type { I18n } from '../../i18n';

/** No socket event carries the exercise clock: every screen asks again this often (and after each action). */
const PUBLIC_REFRESH_MS = 5_000;
const STATE_REFRESH_MS = 3_000;

/**
 * The exercise's public view (clock, functional roles and their holders) while the incident is
 * an exercise; null for a real incident (never asked) or until the first answer.
 */
export function usePublicExercise(incidentId: string, isExercise: boolean): ExercisePublic | null {
  const [state, setState] = useState<{ id: string; view: ExercisePublic } | null>(null);
  useEffect(() => {
    if (!isExercise) return undefined;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      getPublicExercise(incidentId).then(
        (view) => alive && setState({ id: incidentId, view }),
        // Offline or a passing error: keep the last view; the banner shows the mark without time.
        () => undefined,
      ).finally(() => {
        if (alive) timer = setTimeout(load, PUBLIC_REFRESH_MS);
      });
    };
    load();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [incidentId, isExercise]);
  return state?.id === incidentId ? state.view : null;
}

export interface ExerciseStateHandle {
  view: ExerciseView | null;
  error: string | null;
  refresh(): void;
}

/** The animators' and evaluators' state, asked every few seconds and after each action. */
export function useExerciseState(incidentId: string, t: I18n['t'], allowed: boolean): ExerciseStateHandle {
  const [view, setView] = useState<ExerciseView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    // A player is never sent asking: the server would refuse (FORBIDDEN) anyway.
    if (!allowed) return undefined;
    let alive = true;
    getExercise(incidentId).then(
      (v) => {
        if (!alive) return;
        setView(v);
        setError(null);
      },
      (err: unknown) => alive && setError(refusal(t, err)),
    );
    const timer = setTimeout(refresh, STATE_REFRESH_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [incidentId, tick, refresh, t, allowed]);
  return { view, error, refresh };
}

/** A refusal in words, its code kept (the animator tells the support what was refused). */
export function refusal(t: I18n['t'], err: unknown): string {
  if (err instanceof ApiError) return t.exercise.refused(err.code, err.message);
  return t.exercise.refused('OFFLINE', err instanceof Error ? err.message : String(err));
}

/** "01:05" for 65 minutes of exercise time (hours may pass 24). */
export function hoursMinutes(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds / 60));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Exercise seconds of a clock at `now` (server-corrected). */
export function exerciseSecondsAt(clock: ExerciseClock, now: Date): number {
  return exerciseMsAt(clock, now) / 1000;
}

/** A speed factor as people read it: "2", "0.5", "60". */
export function factorText(i18n: I18n, factor: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: 2 }).format(factor);
}
