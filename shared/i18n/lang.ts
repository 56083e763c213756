import { z } from 'zod';

/** The languages the UI and the exports speak; one table per language (shared/i18n/en, shared/i18n/fr). */
export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];
export const LangSchema = z.enum(LANGS);

/** Where nothing says otherwise: the cells this serves are French. */
export const DEFAULT_LANG: Lang = 'fr';
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

/** The locale of dates and numbers when only the language is known. */
export function localeOf(lang: Lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}

/** The first language of an Accept-Language header that we speak (by weight, then order); null when none. */
export function langOfAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((x) => Number.isFinite(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const x of ranked) if ((LANGS as readonly string[]).includes(x.base)) return x.base as Lang;
  return null;
}

/** French typography puts a narrow no-break space before « : ; ! ? » and inside « »; English none. */
export const NNBSP = '\u202F';

/** "Label: " / "Label : " (the space after is a normal one). */
export function colon(lang: Lang): string {
  return lang === 'fr' ? `${NNBSP}: ` : ': ';
}

/** A quotation: “text” in English, « text » in French. */
export function quote(lang: Lang, text: string): string {
  return lang === 'fr' ? `«${NNBSP}${text}${NNBSP}»` : `“${text}”`;
}

/** "Label: value" with the language's colon. */
export function labelled(lang: Lang, label: string, value: string): string {
  return `${label}${colon(lang)}${value}`;
}
