import type { DateFormatter } from '../../i18n/dates';

/** Nice tick steps, from a minute to a week. */
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1_440, 2_880, 10_080].map((m) => m * 60_000);

/** The zone's offset from UTC at `ms`, in ms (e.g. +3,600,000 for Paris in winter). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export interface Tick {
  ms: number;
  label: string;
  /** A tick that starts a new day in the zone (drawn stronger, labelled with the date). */
  major: boolean;
}

/** Ticks over [fromMs, toMs], at most about `maxTicks`, aligned on round local times. */
export function timeTicks(fromMs: number, toMs: number, dates: DateFormatter, maxTicks = 10): Tick[] {
  const span = Math.max(1, toMs - fromMs);
  const step = STEPS_MS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 86_400_000) * 86_400_000;
  const offset = zoneOffsetMs(fromMs, dates.timeZone);
  const first = Math.ceil((fromMs + offset) / step) * step - offset;
  const ticks: Tick[] = [];
  let lastDay = '';
  for (let ms = first; ms <= toMs; ms += step) {
    const day = dates.dayKey(ms);
    const major = day !== lastDay;
    lastDay = day;
    ticks.push({ ms, major, label: dates.axisTick(ms, major || step >= 86_400_000) });
  }
  return ticks;
}
