import { type Lang, localeOf } from './lang';

/**
 * Every date and time a person reads, on a screen or in an export, goes through here: Intl with
 * the reader's locale and time zone. One format per use, the same on every screen and export:
 *
 * - `time`: 14:03:27 — `shortTime`: 14:03
 * - `dateTime`: 05 Dec 2026, 14:03:27 / 05 déc. 2026, 14:03:27 (exports, reports, kit)
 * - `dateTimeShort`: 05 Dec, 14:03 (screens: another day than today)
 * - `date`: 05 Dec 2026 — `day`: Saturday 5 December 2026 (day headings)
 * - `axisTick`: 5 Dec 14:00 / 14:00 (the picture's axis)
 * - `zone`: Europe/Paris (UTC+01:00)
 *
 * Exports format 100,000 instants: each format keeps what Intl produced for each minute and only
 * puts the seconds in, so a row costs a map lookup, and the output is Intl's, character for character.
 */
export interface DateFormatter {
  readonly lang: Lang;
  readonly locale: string;
  readonly timeZone: string;
  time(at: Instant): string;
  shortTime(at: Instant): string;
  dateTime(at: Instant): string;
  dateTimeShort(at: Instant): string;
  date(at: Instant): string;
  day(at: Instant): string;
  axisTick(at: Instant, withDay: boolean): string;
  /** The calendar day in the zone, as YYYY-MM-DD: to tell whether two instants fall on one day. */
  dayKey(at: Instant): string;
  /** "Europe/Paris (UTC+01:00)": the zone and its offset at that instant. */
  zone(at?: Instant): string;
  /** "UTC+01:00" alone. */
  offset(at?: Instant): string;
}

export type Instant = string | number | Date;

function ms(at: Instant): number {
  return typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
}

/** Is this an IANA time zone the runtime knows? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One Intl format, remembered per minute (offsets change on quarter hours at the finest). */
class MinuteCache {
  private readonly minutes = new Map<number, [string, string] | string>();

  constructor(private readonly format: Intl.DateTimeFormat) {}

  text(at: number): string {
    const minute = Math.floor(at / 60_000);
    let entry = this.minutes.get(minute);
    if (entry === undefined) {
      if (this.minutes.size > 50_000) this.minutes.clear();
      const parts = this.format.formatToParts(minute * 60_000);
      const i = parts.findIndex((p) => p.type === 'second');
      entry = i < 0 ? parts.map((p) => p.value).join('') : [parts.slice(0, i).map((p) => p.value).join(''), parts.slice(i + 1).map((p) => p.value).join('')];
      this.minutes.set(minute, entry);
    }
    if (typeof entry === 'string') return entry;
    const s = Math.floor((at - Math.floor(at / 60_000) * 60_000) / 1000);
    return `${entry[0]}${s < 10 ? '0' : ''}${s}${entry[1]}`;
  }
}

const CLOCK = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

class IntlDateFormatter implements DateFormatter {
  private readonly f: Record<'time' | 'shortTime' | 'dateTime' | 'dateTimeShort' | 'date' | 'day' | 'tickDay' | 'tickTime' | 'dayKey' | 'offset', MinuteCache>;

  constructor(readonly lang: Lang, readonly timeZone: string, readonly locale: string) {
    const make = (o: Intl.DateTimeFormatOptions, loc = locale) => new MinuteCache(new Intl.DateTimeFormat(loc, { timeZone, ...o }));
    this.f = {
      time: make({ ...CLOCK, second: '2-digit' }),
      shortTime: make(CLOCK),
      dateTime: make({ day: '2-digit', month: 'short', year: 'numeric', ...CLOCK, second: '2-digit' }),
      dateTimeShort: make({ day: '2-digit', month: 'short', ...CLOCK }),
      date: make({ day: '2-digit', month: 'short', year: 'numeric' }),
      day: make({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      tickDay: make({ day: 'numeric', month: 'short' }),
      tickTime: make(CLOCK),
      dayKey: make({ year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA'),
      offset: make({ timeZoneName: 'longOffset', hour: 'numeric' }, 'en-GB'),
    };
  }

  time(at: Instant): string {
    return this.f.time.text(ms(at));
  }
  shortTime(at: Instant): string {
    return this.f.shortTime.text(ms(at));
  }
  dateTime(at: Instant): string {
    return this.f.dateTime.text(ms(at));
  }
  dateTimeShort(at: Instant): string {
    return this.f.dateTimeShort.text(ms(at));
  }
  date(at: Instant): string {
    return this.f.date.text(ms(at));
  }
  day(at: Instant): string {
    return this.f.day.text(ms(at));
  }
  axisTick(at: Instant, withDay: boolean): string {
    const t = this.f.tickTime.text(ms(at));
    return withDay ? `${this.f.tickDay.text(ms(at))} ${t}` : t;
  }
  dayKey(at: Instant): string {
    return this.f.dayKey.text(ms(at));
  }
  offset(at: Instant = Date.now()): string {
    const text = this.f.offset.text(ms(at));
    const gmt = /GMT([+-]\d{2}:\d{2})?/.exec(text);
    return `UTC${gmt?.[1] ?? ''}`;
  }
  zone(at: Instant = Date.now()): string {
    return `${this.timeZone} (${this.offset(at)})`;
  }
}

const CACHE = new Map<string, DateFormatter>();

/**
 * The formatter of a language in a zone; `locale` refines the language (a browser's en-US keeps
 * its own habits) and must be of that language. Formatters are kept: build them freely.
 */
export function dateFormatter(lang: Lang, timeZone: string, locale: string = localeOf(lang)): DateFormatter {
  const key = `${lang}|${timeZone}|${locale}`;
  let f = CACHE.get(key);
  if (!f) {
    if (CACHE.size > 200) CACHE.clear();
    f = new IntlDateFormatter(lang, timeZone, locale.toLowerCase().startsWith(lang) ? locale : localeOf(lang));
    CACHE.set(key, f);
  }
  return f;
}

/** A duration as "1 h 05" / "12 min" / "3 d 4 h" ("3 j 4 h"). */
export function formatDuration(msSpan: number, lang: Lang): string {
  const minutes = Math.max(0, Math.round(Math.abs(msSpan) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h < 48) return `${h} h ${String(m).padStart(2, '0')}`;
  return `${Math.floor(h / 24)} ${lang === 'fr' ? 'j' : 'd'} ${h % 24} h`;
}
