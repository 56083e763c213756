import { useMemo } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { Report } from '../../../../../shared/model/reports';
import { reportCount } from '../../../../../shared/model/reportCadence';
import { exerciseTimeText } from '../../../../../shared/exercise/exerciseTime';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { countdown, reportWords } from '../../i18n';
import { useI18n, useNow } from '../common/common';
import { useExerciseClock } from '../regulatory/exerciseClock';

export function useReports(open: OpenIncident): Report[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('reports', n), [open.session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- tick: read again when the reports (a live document) change
  return useMemo(() => open.session.reports.list(), [open.session, tick]);
}

/**
 * Time left until the next situation report is due (last publication or opening + cadence),
 * refreshed every second on the server-corrected clock (useNow inside ServerClock); "soon" and "overdue" change its look and its words, not only its colour.
 * In an exercise it counts on the exercise clock (×N, frozen while paused), and says so.
 */
export function ReportCountdown({ meta, reports, large = false }: { meta: IncidentMeta; reports: Report[]; large?: boolean }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  const now = useNow(1_000);
  const exercise = useExerciseClock(meta);
  // An exercise's countdown waits for its clock rather than count real time meanwhile.
  if (meta.exercise && exercise === null) return null;
  const { due, leftMs: left, state, exerciseDueMs, time } = reportCount(meta, reports, now, exercise);
  const text = state === 'overdue' ? w.reportOverdue(countdown(left)) : w.nextReportIn(countdown(left));
  const title = exerciseDueMs === null ? w.dueAt(i18n.shortTime(due!, now)) : w.exerciseDueAt(exerciseTimeText(exerciseDueMs));
  return (
    <span class={`report-countdown due-${state}${large ? ' large' : ''}`} data-testid="report-countdown" data-state={state} data-time={time} data-due={due?.toISOString() ?? ''} title={title} role="timer" aria-live="off">
      {state !== 'ok' && (
        <span class="due-mark" aria-hidden="true">
          ⚠{' '}
        </span>
      )}
      {text}
      {time === 'exercise' && <span class="muted"> — {w.exerciseClock}</span>}
    </span>
  );
}
