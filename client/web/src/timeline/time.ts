import type { I18n } from '../i18n';

/**
 * A moment to the second with its date, in the reader's zone and locale ("28 Nov 2026, 23:55:12"),
 * from the shared formatter: the timeline spans days, so the date is never left out.
 */
export function fullTime(i18n: Pick<I18n, 'dates'>, at: string | number | Date): string {
  return i18n.dates.dateTime(at);
}

/** `YYYY-MM-DDTHH:MM:SS` in the browser's zone: the value of an `<input type="datetime-local" step="1">`. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The inverse of toLocalInput (seconds optional); null for an empty or malformed value. */
export function fromLocalInput(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return null;
  const ms = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)).getTime();
  return Number.isFinite(ms) ? ms : null;
}
