import type { Decision, DecisionStatus } from '../../../../../shared/model/decisions';
import type { LogEntry } from '../../../../../shared/model/log';
import { REPORT_SECTIONS, type Report } from '../../../../../shared/model/reports';
import type { Task, TaskStatus } from '../../../../../shared/model/tasks';
import { reportWords } from '../../i18n';
import { CategoryBadge, DecisionBadge, SeverityBadge, useI18n } from '../common/common';
import { DueLabel } from '../tasks/DueLabel';
import { PRIORITY_RANK, isOverdue } from '../tasks/taskData';
import { FitList, type FitRow } from './FitList';

const DECISION_ORDER: Record<DecisionStatus, number> = { approved: 0, proposed: 1, superseded: 2, revoked: 3, rejected: 4 };
export const OPEN_COLUMNS: TaskStatus[] = ['blocked', 'in_progress', 'todo'];

/** Decisions first: approved, then proposed, then the rest; the newest first within each. */
export function WallDecisions({ decisions, now }: { decisions: Decision[]; now: Date }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const sorted = [...decisions].sort((a, b) => DECISION_ORDER[a.status] - DECISION_ORDER[b.status] || (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));
  const rows: FitRow[] = sorted.map((d) => ({
    key: `${d.id}:${d.status}`,
    counts: true,
    node: (
      <li class={`mgmt-decision dec-${d.status}`} data-testid="mgmt-decision" data-status={d.status}>
        <div class="line">
          <DecisionBadge status={d.status} />
          <strong class="title">{d.title}</strong>
        </div>
        {d.status === 'approved' && d.statement && <p class="statement">{d.statement}</p>}
        <p class="by">
          {d.history.map((h, i) => (
            <span class="step">
              {i > 0 && ' → '}
              {enums.decision[h.status]} {i18n.shortTime(h.at, now)} ({h.by})
            </span>
          ))}
        </p>
      </li>
    ),
  }));
  return (
    <section class="mgmt-decisions" aria-labelledby="mgmt-decisions">
      <h2 id="mgmt-decisions">
        {t.mgmtDecisions} <span class="count">{decisions.length}</span>
      </h2>
      {decisions.length === 0 && <p class="muted">{t.noDecisions}</p>}
      <FitList rows={rows} testId="mgmt-more-decisions" />
    </section>
  );
}

/** The open tasks by status (blocked first), the most urgent first, with the overdue count. */
export function WallTasks({ tasks, now }: { tasks: Task[]; now: Date }) {
  const { t, enums } = useI18n();
  const open = tasks.filter((task) => OPEN_COLUMNS.includes(task.status));
  const overdue = open.filter((task) => isOverdue(task, now)).length;
  const rows: FitRow[] = [];
  for (const s of OPEN_COLUMNS) {
    const list = open.filter((x) => x.status === s).sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);
    if (list.length === 0) continue;
    rows.push({
      key: `head-${s}`,
      counts: false,
      node: (
        <li class={`mgmt-col col-${s}`} data-testid={`mgmt-status-${s}`} data-count={list.length}>
          <h3>
            {enums.status[s]} <span class="count">{list.length}</span>
          </h3>
        </li>
      ),
    });
    for (const task of list) {
      rows.push({
        key: `${task.id}:${task.status}:${task.priority}`,
        counts: true,
        node: (
          <li class={`mgmt-task prio-${task.priority}${isOverdue(task, now) ? ' overdue' : ''}`} data-testid="mgmt-task">
            <span class="title">{task.title}</span>
            <span class="meta">
              <span>{task.assignee ?? t.unassigned}</span>
              <DueLabel task={task} now={now} />
            </span>
          </li>
        ),
      });
    }
  }
  return (
    <section class="mgmt-tasks" aria-labelledby="mgmt-tasks">
      <h2 id="mgmt-tasks">
        {t.mgmtTasks} <span class="count">{open.length}</span>
      </h2>
      <div class={`kpi${overdue > 0 ? ' alarm' : ''}`} data-testid="overdue-count" data-count={overdue}>
        <span class="kpi-value">{overdue}</span>
        <span class="kpi-label">{t.mgmtOverdue}</span>
      </div>
      {open.length === 0 && <p class="muted">{t.mgmtNoTasks}</p>}
      <FitList rows={rows} testId="mgmt-more-tasks" tag="ul" />
    </section>
  );
}

/** The latest alerts and high-severity entries. */
export function WallAlerts({ alerts, now }: { alerts: LogEntry[]; now: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rows: FitRow[] = alerts.map((e) => ({
    key: e.id,
    counts: true,
    node: (
      <li class={`mgmt-alert sev-${e.severity}`} data-testid="mgmt-alert">
        <time dateTime={e.recordedAt}>{i18n.shortTime(e.recordedAt, now)}</time>
        <span class="badges">
          <CategoryBadge category={e.category} />
          <SeverityBadge severity={e.severity} />
          {e.source && <span class="muted">← {e.source}</span>}
        </span>
        <span class="text">{e.text}</span>
      </li>
    ),
  }));
  return (
    <section class="mgmt-alerts" aria-labelledby="mgmt-alerts">
      <h2 id="mgmt-alerts">{t.mgmtAlerts}</h2>
      {alerts.length === 0 && <p class="muted">{t.mgmtNoAlerts}</p>}
      <FitList rows={rows} testId="mgmt-more-alerts" />
    </section>
  );
}

/** The last published situation report (management reads no draft). */
export function WallReport({ latest, now }: { latest: Report | null; now: Date }) {
  const i18n = useI18n();
  const w = reportWords(i18n.lang);
  return (
    <section class="mgmt-report" aria-labelledby="mgmt-report" data-testid="mgmt-report">
      <h2 id="mgmt-report">
        {w.latest}
        {latest && <span class="count">{w.reportTitle(latest.number)}</span>}
      </h2>
      {!latest && <p class="muted">{w.noPublished}</p>}
      {latest && (
        <>
          <p class="by">
            {latest.publishedBy && latest.publishedAt ? w.publishedBy(latest.publishedBy, i18n.shortTime(latest.publishedAt, now)) : ''} · {w.period} {i18n.shortTime(latest.windowFrom, now)} → {i18n.shortTime(latest.windowTo, now)}
          </p>
          <dl class="mgmt-report-sections">
            {REPORT_SECTIONS.filter((s) => latest.sections[s].trim()).map((s) => (
              <>
                <dt>{w.sections[s]}</dt>
                <dd class="report-text">{latest.sections[s]}</dd>
              </>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
