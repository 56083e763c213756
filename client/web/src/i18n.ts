import { type Lang, UI, type UiDict, WORDS, type Words, quote } from '../../../shared/i18n';
import { type DateFormatter, dateFormatter, formatDuration } from '../../../shared/i18n/dates';

/**
 * The client's door to the shared tables (shared/i18n: one table per language, read by the
 * screens and the exports alike) and to the shared date formatter. Components import from here.
 */
export type { Lang } from '../../../shared/i18n';
export type Dict = UiDict;
export type ReportsDict = Words['reports'];

/** The language from the saved choice, else the browser's preferred languages (French or English). */
export function detectLang(saved: string | null, languages: readonly string[]): Lang {
  if (saved === 'fr' || saved === 'en') return saved;
  for (const l of languages) {
    const base = l.toLowerCase().slice(0, 2);
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

/** The browser's time zone: every time on screen is in it, and it is sent with every export. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Everything a view needs to speak the user's language: words, enum labels, dates in their zone. */
export class I18n {
  readonly t: Dict;
  readonly words: Words;
  readonly enums: Words['enums'];
  /** The browser's locale for dates and numbers (e.g. fr-FR, en-US), kept when it matches the language. */
  readonly locale: string;
  readonly timeZone: string;
  /** The one formatter of every date and time on screen (shared/i18n/dates.ts). */
  readonly dates: DateFormatter;

  constructor(readonly lang: Lang, browserLocales: readonly string[] = [], timeZone: string = browserTimeZone()) {
    this.words = WORDS[lang];
    this.t = UI[lang];
    this.enums = this.words.enums;
    this.timeZone = timeZone;
    this.dates = dateFormatter(lang, timeZone, browserLocales.find((l) => l.toLowerCase().startsWith(lang)));
    this.locale = this.dates.locale;
  }

  /** HH:MM:SS today, or day + HH:MM for another day. */
  time(iso: string | Date, now = new Date()): string {
    return this.sameDay(iso, now) ? this.dates.time(iso) : this.dates.dateTimeShort(iso);
  }

  shortTime(iso: string | Date, now = new Date()): string {
    return this.sameDay(iso, now) ? this.dates.shortTime(iso) : this.dates.dateTimeShort(iso);
  }

  dateTime(iso: string | Date): string {
    return this.dates.dateTimeShort(iso);
  }

  day(d: Date): string {
    return this.dates.day(d);
  }

  /** e.g. "Europe/Paris (UTC+02:00)". */
  zoneLabel(at = new Date()): string {
    return this.dates.zone(at);
  }

  /** A quotation in the language's quotes. */
  quote(text: string): string {
    return quote(this.lang, text);
  }

  /** A duration as "1 h 05" / "12 min". */
  duration(ms: number): string {
    return formatDuration(ms, this.lang);
  }

  /** A countdown to the second, "71:59:58" (hours may pass 24: a 72-hour clock reads as hours); "31 j 17 h" past four days. */
  countdown(ms: number): string {
    const total = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(total / 3600);
    // Past four days (the NIS2 month), days read better than hundreds of hours.
    if (h >= 96) return `${Math.floor(h / 24)} ${this.lang === 'fr' ? 'j' : 'd'} ${h % 24} h`;
    const m = Math.floor((total % 3600) / 60);
    const sec = total % 60;
    return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  }

  /** Elapsed since a moment, as crisis cells say it: "H+5:32". */
  elapsed(fromIso: string, now: Date): string {
    const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(fromIso)) / 60_000));
    return `H+${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  }

  private sameDay(a: string | Date, b: Date): boolean {
    return this.dates.dayKey(a) === this.dates.dayKey(b);
  }
}

/** Words of the situation reports (points de situation), shared with the printed report. */
export function reportWords(lang: Lang): ReportsDict {
  return WORDS[lang].reports;
}

/** A countdown as "1:05:09" or "4:32" (seconds shown: the cell sees it move). */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/** `lang=…&tz=…`: what every export link carries, so a download reads as the screen does. */
export function readerQuery(i18n: Pick<I18n, 'lang' | 'timeZone'>): string {
  return `lang=${i18n.lang}&tz=${encodeURIComponent(i18n.timeZone)}`;
}
