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

/** The latest published report (by publication time), or null. */
export function lastPublished(reports: readonly Report[]): Report | null {
  let last: Report | null = null;
  for (const r of reports) {
    if (r.status !== 'published' || !r.publishedAt) continue;
    if (!last || r.publishedAt > (last.publishedAt ?? '')) last = r;
  }
  return last;
}

/**
 * When the next report is due: the last publication (or the incident's opening) plus the
 * cadence. A published report's own `nextReportAt` is not used: the cadence can change after.
 */
export function nextReportDue(meta: Pick<IncidentMeta, 'severity' | 'reportCadenceMinutes' | 'openedAt'>, reports: readonly Report[]): Date {
  const last = lastPublished(reports);
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
