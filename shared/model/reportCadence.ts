import type { Severity } from './common';
import type { IncidentMeta } from './incident';
import type { Report } from './reports';

/**
 * How often a situation report is due when the director has not set a cadence
 * (`reportCadenceMinutes` in the metadata): every 2 hours for a critical incident, 3 for a high
 * one, 4 otherwise. A suggestion the director overrides per incident.
 */
export const DEFAULT_CADENCE_MINUTES: Record<Severity, number> = { critical: 120, high: 180, medium: 240, low: 240 };
export const MIN_CADENCE_MINUTES = 1;
export const MAX_CADENCE_MINUTES = 24 * 60;

export function cadenceMinutes(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes'>): number {
  return meta.reportCadenceMinutes ?? DEFAULT_CADENCE_MINUTES[meta.severity];
}

/** How far ahead of the server clock a client's time may be (clock skew); the server refuses more. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A time as milliseconds, or null when it does not parse or lies beyond `now` plus the skew. */
export function pastTimeMs(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms <= now.getTime() + CLOCK_SKEW_MS ? ms : null;
}

/**
 * The latest published report (by publication time, compared as times, not strings), or null.
 * A publication time in the future (beyond the clock skew) is ignored: one bad record, published
 * before the server checked, must not pin the countdown.
 */
export function lastPublished(reports: readonly Report[], now: Date = new Date()): Report | null {
  let last: Report | null = null;
  let lastMs = -Infinity;
  for (const r of reports) {
    if (r.status !== 'published') continue;
    const ms = pastTimeMs(r.publishedAt, now);
    if (ms === null || ms <= lastMs) continue;
    last = r;
    lastMs = ms;
  }
  return last;
}

/**
 * When the next report is due: the last publication (or the incident's opening) plus the
 * cadence. A published report's own `nextReportAt` is not used: the cadence can change after.
 */
export function nextReportDue(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes' | 'openedAt'>, reports: readonly Report[], now: Date = new Date()): Date {
  const last = lastPublished(reports, now);
  const base = Date.parse(last?.publishedAt ?? meta.openedAt);
  return new Date(base + cadenceMinutes(meta) * 60_000);
}

export type DueState = 'ok' | 'soon' | 'overdue';

/** "soon" in the last 15 minutes (or the last eighth of a short cadence), "overdue" once past. */
export function dueState(due: Date, now: Date, cadence: number): DueState {
  const left = due.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= Math.min(15, cadence / 8) * 60_000 ? 'soon' : 'ok';
}
