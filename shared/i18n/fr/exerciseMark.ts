import type { ExerciseMarkWords } from '../en/exerciseMark';

/** The mark of an exercise's exports, kit and drafts, French (same keys as en/exerciseMark.ts). */
export const exerciseMark: ExerciseMarkWords = {
  mark: 'EXERCICE — NE PAS ENVOYER',
};
