import type { InsertCheck } from '../partModule';

/** Several insert checks as one: the first refusal wins, in the order given. */
export function combineInsertChecks(...checks: Array<InsertCheck | undefined>): InsertCheck {
  const present = checks.filter((c): c is InsertCheck => c !== undefined);
  return (container, key, content) => {
    for (const check of present) {
      const refusal = check(container, key, content);
      if (refusal) return refusal;
    }
    return null;
  };
}
