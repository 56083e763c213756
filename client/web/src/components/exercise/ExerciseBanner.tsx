import { useEffect } from 'preact/hooks';
import type { ExercisePublic } from '../../../../../shared/exercise/exerciseState';
import { useI18n, useNow } from '../common/common';
import { exerciseSecondsAt, factorText, hoursMinutes } from './exerciseHooks';
import './exercise.css';

/**
 * The mark of an exercise on every screen of it (issue 17): a striped band saying EXERCICE /
 * EXERCISE with the exercise time, and a striped frame round the whole window, so no one takes a
 * screen of the exercise for the real thing, nor a screenshot of it. Mounted by the room's shell
 * and the wall screen, above every view; nothing for a real incident.
 */
export function ExerciseBanner({ isExercise, exercise }: { isExercise: boolean; exercise: ExercisePublic | null }) {
  const i18n = useI18n();
  const w = i18n.t.exercise;
  // The exercise time moves by the second at high speed; a real incident needs no tick at all.
  const now = useNow(isExercise ? 1_000 : 3_600_000);
  useEffect(() => {
    if (!isExercise) return undefined;
    document.documentElement.classList.add('exercise');
    return () => document.documentElement.classList.remove('exercise');
  }, [isExercise]);
  if (!isExercise) return null;
  const clock = exercise?.clock ?? null;
  const seconds = clock ? exerciseSecondsAt(clock, now) : null;
  return (
    <section class="exercise-banner" aria-label={w.bannerLabel} data-testid="exercise-banner" data-status={clock?.status ?? 'unknown'} title={w.bannerNote}>
      <strong class="exercise-banner-mark">{w.mark}</strong>
      {seconds !== null && (
        <span class="exercise-banner-time" data-testid="exercise-time" title={w.timeTitle}>
          {w.time(hoursMinutes(seconds))}
        </span>
      )}
      {clock?.status === 'paused' && <span class="exercise-banner-state" data-testid="exercise-paused">{w.paused}</span>}
      {clock?.status === 'ready' && <span class="exercise-banner-state">{w.ready}</span>}
      {clock && clock.factor !== 1 && (
        <span class="exercise-banner-state" data-testid="exercise-speed">
          {w.speed(factorText(i18n, clock.factor))}
        </span>
      )}
      <span class="exercise-banner-note">{w.bannerNote}</span>
    </section>
  );
}
