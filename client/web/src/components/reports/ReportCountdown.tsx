import { useMemo } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { Report } from '../../../../../shared/model/reports';
import { cadenceMinutes, dueState, nextReportDue } from '../../../../../shared/model/reportCadence';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { countdown, reportWords } from '../../i18n';
import { useI18n, useNow } from '../common/common';

export function useReports(open: OpenIncident): Report[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('reports', n), [open.session]));
  return useMemo(() => open.session.reports.list(), [open.session, tick]);
}

/**
 * Time left until the next situation report is due (last publication or opening + cadence),
 * refreshed every second on the server-corrected clock (useNow inside ServerClock); "soon" and "overdue" change its look and its words, not only its colour.
 */
export function ReportCountdown({ meta, reports, large = false }: { meta: IncidentMeta; reports: Report[]; large?: boolean }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  const now = useNow(1_000);
  const due = nextReportDue(meta, reports, now);
  const state = dueState(due, now, cadenceMinutes(meta));
  const left = due.getTime() - now.getTime();
  const text = state === 'overdue' ? w.reportOverdue(countdown(left)) : w.nextReportIn(countdown(left));
  return (
    <span class={`report-countdown due-${state}${large ? ' large' : ''}`} data-testid="report-countdown" data-state={state} data-due={due.toISOString()} title={w.dueAt(i18n.shortTime(due, now))} role="timer" aria-live="off">
      {state !== 'ok' && (
        <span class="due-mark" aria-hidden="true">
          ⚠{' '}
        </span>
      )}
      {text}
    </span>
  );
}
