import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Decision, DecisionStatus } from '../../../../../shared/model/decisions';
import type { LogEntry } from '../../../../../shared/model/log';
import type { TaskStatus } from '../../../../../shared/model/tasks';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import { ConnectionView, Identity, OpenIncident, clearIncidentEnd, reconnect, useConnection, useIncident, useIncidentEnd, useSignal } from '../../connection';
import { useMembers } from '../../members';
import { href } from '../../router';
import { CategoryBadge, DecisionBadge, LangSwitch, ServerClock, SeverityBadge, endWords, statusLabel, useI18n, useNow } from '../common/common';
import { DueLabel, isOverdue, useDecisions, useTasks, PRIORITY_RANK } from '../tasks/TaskBoard';
import { useMeta } from '../room/Room';
import { HeaderCountdown, useClocks } from '../regulatory/RegulatoryView';
import { ReportCountdown, useReports } from '../reports/ReportCountdown';
import { lastPublished } from '../../../../../shared/model/reportCadence';
import { REPORT_SECTIONS } from '../../../../../shared/model/reports';
import { reportWords } from '../../i18n';

const DECISION_ORDER: Record<DecisionStatus, number> = { approved: 0, proposed: 1, superseded: 2, revoked: 3, rejected: 4 };
const OPEN_COLUMNS: TaskStatus[] = ['blocked', 'in_progress', 'todo'];

/**
 * The wall screen for the management: read only, large type, live. Decisions first, then the
 * open tasks by status with what is overdue, then the latest alerts. It holds no control that
 * writes: no input, no button (the language switch is a link).
 */
export function Management({ incidentId, identity }: { incidentId: string; identity: Identity }) {
  const members = useMembers(incidentId, identity.userId);
  const ended = useIncidentEnd(incidentId);
  const { open, error } = useIncident(identity, incidentId, members.status !== 'notMember' && members.status !== 'notFound' && ended === null);
  useEffect(() => () => clearIncidentEnd(incidentId), [incidentId]);
  const { t } = useI18n();
  if (ended) {
    // The server ended this account's access to the incident: say so, in words.
    return (
      <p class="page-error" role="alert" data-testid="not-member" data-end={ended.code}>
        {endWords(t, ended.code)} <a href="#/">{t.back}</a>
      </p>
    );
  }
  if (members.status === 'notMember' || members.status === 'notFound') {
    // Not (or no longer) a member: nothing of the incident is shown.
    return (
      <p class="page-error" role="alert" data-testid="not-member">
        {members.status === 'notFound' ? t.unknownIncident : t.notMember} <a href="#/">{t.back}</a>
      </p>
    );
  }
  if (error) return <p class="page-error">{error}</p>;
  if (!open) return <p class="loading">{t.loadingIncident}</p>;
  return (
    <ServerClock session={open.session}>
      <ManagementBoard open={open} onForbidden={members.reload} />
    </ServerClock>
  );
}

function ManagementBoard({ open, onForbidden }: { open: OpenIncident; onForbidden: () => void }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const { session, client } = open;
  const meta = useMeta(session);
  const clocks = useClocks(session, meta);
  const connection = useConnection(client);
  const lastUpdate = useLastUpdate(session);
  const now = useNow(10_000);
  // A wall screen is watched by no one who would press a button: it retries for ever, even
  // after the browser said the network was gone (socket.io retries every other case itself).
  useEffect(() => {
    if (connection.status !== 'offline') return undefined;
    const timer = setInterval(() => reconnect(), 15_000);
    return () => clearInterval(timer);
  }, [connection.status]);
  const decisions = useDecisions(open);
  const tasks = useTasks(open);
  const reports = useReports(open);
  // Management reads published reports only: drafts are the cell's working copies.
  const latest = useMemo(() => lastPublished(reports, session.now()), [reports, session]);
  const w = reportWords(i18n.lang);
  const logTick = useSignal(useMemo(() => (n: () => void) => session.onChange('log', n), [session]));
  const alerts = useMemo(() => {
    const out: LogEntry[] = [];
    const entries = session.log.entries();
    for (let i = entries.length - 1; i >= 0 && out.length < 6; i--) {
      const e = entries[i]!;
      if (e.category === 'alert' || e.severity === 'high' || e.severity === 'critical') out.push(e);
    }
    return out;
  }, [session, logTick]);

  // A refusal for permission: was I removed? The members list says (and the outer view shows it).
  useEffect(() => session.onRejected((e) => e.code === 'FORBIDDEN' && onForbidden()), [session, onForbidden]);
  useEffect(() => client.onEnd((e) => e.incidentId === session.incidentId && onForbidden()), [client, session, onForbidden]);

  useEffect(() => {
    // The wall screen only shows: it sends no document update, whoever looks at it.
    session.setReadOnly();
    session.setPresence({ name: client.name, view: 'management' });
  }, [session, client]);

  const sortedDecisions = useMemo(
    () => [...decisions].sort((a: Decision, b: Decision) => DECISION_ORDER[a.status] - DECISION_ORDER[b.status] || (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt)),
    [decisions],
  );
  const openTasks = tasks.filter((task) => OPEN_COLUMNS.includes(task.status));
  const overdue = openTasks.filter((task) => isOverdue(task, now)).length;

  return (
    <div class="mgmt" data-testid="management">
      <header class="mgmt-head">
        <div class="mgmt-title">
          <h1>{meta?.title ?? '…'}</h1>
          {meta && <SeverityBadge severity={meta.severity} />}
          <span class="badge readonly">{t.mgmtReadOnly}</span>
          <HeaderCountdown clocks={clocks} href={null} />
        </div>
        <div class="mgmt-clock">
          {meta && (
            <span class="elapsed" title={t.elapsed}>
              {i18n.elapsed(meta.detectedAt ?? meta.openedAt, now)}
            </span>
          )}
          {meta && <ReportCountdown meta={meta} reports={reports} />}
          <time class="clock" dateTime={now.toISOString()}>
            {i18n.shortTime(now, now)}
          </time>
          <span class="tz">{i18n.zoneLabel(now)}</span>
          <WallConnection connection={connection} lastUpdate={lastUpdate} />
          <LangSwitch asLink />
          <a class="mgmt-back" href={href({ page: 'room', incidentId: session.incidentId, view: 'log' })}>
            ← {t.viewLog}
          </a>
        </div>
      </header>
      <main class="mgmt-grid">
        <section class="mgmt-decisions" aria-labelledby="mgmt-decisions">
          <h2 id="mgmt-decisions">
            {t.mgmtDecisions} <span class="count">{decisions.length}</span>
          </h2>
          {sortedDecisions.length === 0 && <p class="muted">{t.noDecisions}</p>}
          <ol>
            {sortedDecisions.map((d) => (
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
            ))}
          </ol>
        </section>
        <section class="mgmt-tasks" aria-labelledby="mgmt-tasks">
          <h2 id="mgmt-tasks">
            {t.mgmtTasks} <span class="count">{openTasks.length}</span>
          </h2>
          <div class={`kpi${overdue > 0 ? ' alarm' : ''}`} data-testid="overdue-count" data-count={overdue}>
            <span class="kpi-value">{overdue}</span>
            <span class="kpi-label">{t.mgmtOverdue}</span>
          </div>
          {openTasks.length === 0 && <p class="muted">{t.mgmtNoTasks}</p>}
          {OPEN_COLUMNS.map((s) => {
            const list = openTasks.filter((x) => x.status === s).sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);
            if (list.length === 0) return null;
            return (
              <div class={`mgmt-col col-${s}`} data-testid={`mgmt-status-${s}`} data-count={list.length}>
                <h3>
                  {enums.status[s]} <span class="count">{list.length}</span>
                </h3>
                <ul>
                  {list.map((task) => (
                    <li class={`mgmt-task prio-${task.priority}${isOverdue(task, now) ? ' overdue' : ''}`}>
                      <span class="title">{task.title}</span>
                      <span class="meta">
                        <span>{task.assignee ?? t.unassigned}</span>
                        <DueLabel task={task} now={now} />
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </section>
        <section class="mgmt-alerts" aria-labelledby="mgmt-alerts">
          <h2 id="mgmt-alerts">{t.mgmtAlerts}</h2>
          {alerts.length === 0 && <p class="muted">{t.mgmtNoAlerts}</p>}
          <ol>
            {alerts.map((e) => (
              <li class={`mgmt-alert sev-${e.severity}`} data-testid="mgmt-alert">
                <time dateTime={e.recordedAt}>{i18n.shortTime(e.recordedAt, now)}</time>
                <span class="badges">
                  <CategoryBadge category={e.category} />
                  <SeverityBadge severity={e.severity} />
                  {e.source && <span class="muted">← {e.source}</span>}
                </span>
                <span class="text">{e.text}</span>
              </li>
            ))}
          </ol>
        </section>
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
      </main>
    </div>
  );
}

/** When the wall last received a change of the incident (any document), or null before the first. */
function useLastUpdate(session: IncidentSession): Date | null {
  const [at, setAt] = useState<Date | null>(null);
  useEffect(() => {
    // afterTransaction, not 'update': listening to 'update' would make Yjs encode every change.
    const docs = Object.values(session.syncs).map((s) => s.doc);
    const changed = () => setAt(new Date());
    for (const d of docs) d.on('afterTransaction', changed);
    return () => {
      for (const d of docs) d.off('afterTransaction', changed);
    };
  }, [session]);
  return at;
}

/**
 * The wall's connection, in large type: its state and, always, when it last heard from the
 * server and last received a change, so whoever glances at it knows how fresh it is. No button.
 */
function WallConnection({ connection, lastUpdate }: { connection: ConnectionView; lastUpdate: Date | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  // Re-read the contact time (heartbeats every 10 s) without waiting for a status change.
  useNow(5_000);
  const { status, lastContact, endReason } = connection;
  return (
    <div
      class={`wall-conn conn conn-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-status={status}
      data-pending="0"
      data-last-contact={lastContact?.toISOString()}
    >
      <span class="conn-dot" aria-hidden="true" />
      <strong class="wall-conn-state">{status === 'ended' && endReason ? endWords(t, endReason.code) : statusLabel(t, status)}</strong>
      <span class="wall-conn-times">
        <span data-testid="last-contact">
          {t.wallLastContact} <time dateTime={lastContact?.toISOString()}>{lastContact ? i18n.time(lastContact) : t.noContactYet}</time>
        </span>
        {lastUpdate && (
          <span data-testid="last-update">
            {t.wallLastUpdate} <time dateTime={lastUpdate.toISOString()}>{i18n.time(lastUpdate)}</time>
          </span>
        )}
        {(status === 'reconnecting' || status === 'offline') && <span class="wall-conn-retry">{t.wallRetrying}</span>}
      </span>
    </div>
  );
}
