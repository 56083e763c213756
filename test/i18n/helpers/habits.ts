import type { Lang } from '../../../shared/i18n/lang';
import { type DateFormatter, dateFormatter } from '../../../shared/i18n/dates';

/**
 * Words and punctuation habits that give a text away as the other language: a text in `lang`
 * must contain none of FOREIGN[lang]. Small lists, of what slipped through before (issue 14).
 */
export const FOREIGN: Record<Lang, ReadonlyArray<string | RegExp>> = {
  en: [
    // A space before a colon, semicolon or question mark; before "!" only after a word (the quick-entry grammar's "!!" is no punctuation).
    / [:;?](?=\s|$)/m,
    /\p{L} !(?=\s|$)/mu,
    '«',
    '»',
    '\u202F',
    'Haute',
    'élevée',
    'terminée',
    'Main courante',
    'main courante',
    'Chronologie',
    'Décision',
    'Tâche',
    'Gravité',
    'gravité',
    'Heures en',
    'Point de situation',
    'Événement',
    'Empreinte',
    'Brouillon',
    'envoyée',
    'Échéance',
    'Fin du document',
    'Produit le',
    'RGPD art.',
    /\b(?:janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\.?\s\d{4}/,
    /\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b/,
  ],
  fr: [
    /\w: /,
    '“',
    'Decision',
    ' approved',
    'Task',
    'Severity',
    'Times in',
    'Situation report',
    'Log entry',
    'Journal fingerprint',
    'End of document',
    'Deadline',
    'Produced at',
    'Incident opened',
    'Published by',
    'Draft',
    'GDPR',
    /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}\b/,
    /\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/,
    /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/,
  ],
};

/** Literals a reader types as they are, in any language (an HTTP header): not the language's punctuation. */
const VERBATIM = ['Authorization: Bearer'];

/** Each habit of the other language found in `text`, with what surrounds it. */
export function foreignHabits(raw: string, lang: Lang): string[] {
  const text = VERBATIM.reduce((t, v) => t.split(v).join(''), raw);
  const found: string[] = [];
  for (const habit of FOREIGN[lang]) {
    const at = typeof habit === 'string' ? text.indexOf(habit) : text.search(habit);
    if (at >= 0) found.push(`${String(habit)} in “…${text.slice(Math.max(0, at - 40), at + 40)}…”`);
  }
  return found;
}

/** Dates written by hand, which the shared formatter never writes: 05/12/2026, 12/05 (a page count, "Page 1/3", is not one). */
const HAND_DATE = /(?<!(?:Page|Feuille|Sheet) )\b\d{1,2}\/\d{1,2}(?:\/\d{2,4})?\b/g;
/** What the shared formatter's dates look like: "05 Dec 2026, 14:03:27", "05 déc., 14:03". */
const FORMATTED = /\b\d{1,2} [A-Za-zéèûô]{3,9}\.?(?: \d{4})?, \d{2}:\d{2}(?::\d{2})?/g;

/** Every string the formatter would write for the instants from `fromMs` to `toMs`, second by second, and for `extra`. */
export function formatterOutputs(lang: Lang, timeZone: string, fromMs: number, toMs: number, extra: readonly string[]): Set<string> {
  const f: DateFormatter = dateFormatter(lang, timeZone);
  const out = new Set<string>();
  const add = (ms: number) => {
    out.add(f.dateTime(ms));
    out.add(f.dateTimeShort(ms));
  };
  for (let ms = Math.floor(fromMs / 1000) * 1000; ms <= toMs; ms += 1000) add(ms);
  for (const iso of extra) add(Date.parse(iso));
  return out;
}

/** Dates in `text` not produced by the shared formatter: hand-made ones, and formatted-looking ones outside `known`. */
export function strangeDates(text: string, known: ReadonlySet<string>): string[] {
  const hand = [...text.matchAll(HAND_DATE)].map((m) => m[0]);
  const formatted = [...text.matchAll(FORMATTED)].map((m) => m[0]).filter((d) => !known.has(d));
  return [...hand, ...formatted];
}

/** Every ISO instant in a JSON value (strings only). */
export function isoInstants(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}
