import { z } from 'zod';
import { DEFAULT_LANG, DEFAULT_TIME_ZONE, type Lang, LangSchema, langOfAcceptLanguage } from '../../shared/i18n/lang';
import { isTimeZone } from '../../shared/i18n/dates';

/** An IANA time zone the runtime knows (`tz` of every export). */
export const TimeZoneSchema = z.string().max(64).refine(isTimeZone, 'unknown time zone');

/**
 * The `lang` and `tz` query parameters every human-readable export takes (timeline, situation
 * report, report draft, paper kit, regulatory draft). Both optional: see `readerLocale`.
 */
export const ReaderQuerySchema = z.object({ lang: LangSchema.optional(), tz: TimeZoneSchema.optional() });

export interface ReaderLocale {
  lang: Lang;
  timeZone: string;
}

/**
 * The language and zone an export is written in: what the request asks (`lang`, `tz`), else the
 * requester's settings. Accounts keep no language or zone (the web client keeps the language in
 * the browser and sends it, with the browser's zone, on every export link), so the settings are
 * the request's Accept-Language, then French and Europe/Paris.
 */
export function readerLocale(query: { lang?: Lang | undefined; tz?: string | undefined }, acceptLanguage: string | undefined): ReaderLocale {
  return { lang: query.lang ?? langOfAcceptLanguage(acceptLanguage) ?? DEFAULT_LANG, timeZone: query.tz ?? DEFAULT_TIME_ZONE };
}
