import { type Lang, localeOf } from './lang';

const INT = new Map<Lang, Intl.NumberFormat>();

/** A whole number as the language writes it ("12 345" in French, "12,345" in English). */
export function formatInt(n: number, lang: Lang): string {
  let f = INT.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang));
    INT.set(lang, f);
  }
  return f.format(n);
}
