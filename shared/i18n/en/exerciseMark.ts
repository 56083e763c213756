/**
 * The mark every export, paper kit and regulatory draft of an exercise carries (issue 17), on
 * every page and line, so no exercise paper is ever taken for, or sent as, a real one.
 * English, the reference table. The screens' short mark is `common.exerciseMark`.
 */
export const exerciseMark = {
  /** The mark itself: printed as it is, on every page, line and title. */
  mark: 'EXERCISE — DO NOT SEND',
};
export type ExerciseMarkWords = typeof exerciseMark;
