import { type Lang, words } from '../../shared/i18n';

export type KitLanguage = Lang;

/**
 * What the paper kit prints, from the one table per language (shared/i18n): its own words and the
 * enum labels every screen and export uses, so a value on paper reads as it does on screen.
 */
export function kitWords(lang: KitLanguage) {
  const w = words(lang);
  return {
    ...w.kit,
    colon: w.common.colon,
    timesIn: w.exports.timesIn,
    roles: w.enums.role,
    category: w.enums.category,
    severity: w.enums.severity,
    verification: w.enums.verification,
    taskStatus: w.enums.status,
    priorities: w.enums.priority,
  };
}
export type KitWords = ReturnType<typeof kitWords>;
