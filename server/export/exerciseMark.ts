import type { IncidentMeta } from '../../shared/model/incident';
import { type Lang, words } from '../../shared/i18n';

/**
 * The one answer to "is this paper an exercise's?" for every export, the paper kit and every
 * regulatory draft (issue 17): the incident's `exercise` flag, fixed at its creation
 * (EXERCISE_MARK_FIXED). A real incident never carries the mark.
 */
export function isExercise(incident: Pick<IncidentMeta, 'exercise'>): boolean {
  return incident.exercise === true;
}

/** "EXERCICE — NE PAS ENVOYER" / "EXERCISE — DO NOT SEND" for an exercise, null for a real incident. */
export function exerciseMarkOf(incident: Pick<IncidentMeta, 'exercise'>, lang: Lang): string | null {
  return isExercise(incident) ? words(lang).exerciseMark.mark : null;
}

/** A title as printed: "MARK — title" for an exercise (so the title or subject line says it too), as is otherwise. */
export function markedTitle(title: string, mark: string | null): string {
  return mark ? `${mark} — ${title}` : title;
}

/** A JSON answer of an exercise, `exercise: true` and the mark first (issue 17); a real incident's as it is. */
export function withExerciseMark<T extends object>(value: T, incident: Pick<IncidentMeta, 'exercise'>, lang: Lang): T | ({ exercise: true; exerciseMark: string } & T) {
  const mark = exerciseMarkOf(incident, lang);
  return mark ? { exercise: true, exerciseMark: mark, ...value } : value;
}
