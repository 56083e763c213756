import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import { roleAllows } from '../../../../../shared/auth/roles';
import type { IncidentSession, Presence, RejectedEdit } from '../../../../sdk/incidentSession';
import { Identity, OpenIncident, clearIncidentEnd, forgetIncidentLocally, useConnection, useIncident, useIncidentEnd, useSignal } from '../../connection';
import { Members, useMembers } from '../../members';
import { View, href, navigate } from '../../router';
import { Announcer, ConnectionIndicator, Kbd, LangSwitch, ServerClock, SeverityBadge, endWords, useI18n, useNow } from '../common/common';
import { LogView } from '../log/LogView';
import { TaskBoard, isOverdue, useDecisions, useTasks, OPEN_STATUSES } from '../tasks/TaskBoard';
import { DecisionsView } from '../decisions/DecisionsView';
import { LinkProblem } from '../app/LinkProblem';
import { MembersPanel } from './MembersPanel';
import { HandoverPanel } from './HandoverPanel';
import { AuditTable } from '../admin/AuditTable';
import { RefusalNotice } from './RefusalNotice';
import { TimelineView } from '../../timeline/TimelineView';
import { useWords as useTimelineWords } from '../../timeline/words';
import { kitUrl } from '../../api';
import { HeaderCountdown, RegulatoryView, useClocks } from '../regulatory/RegulatoryView';
import { ReportsView } from '../reports/ReportsView';
import { ReportCountdown, useReports } from '../reports/ReportCountdown';
import { reportWords } from '../../i18n';

export function useMeta(session: IncidentSession): IncidentMeta | null {
  const tick = useSignal(useMemo(() => (n: () => void) => session.onChange('meta', n), [session]));
  return useMemo(() => session.meta.get(), [session, tick]);
}

export function usePresence(session: IncidentSession): Array<Presence & { id: number; me: boolean }> {
  const tick = useSignal(
    useMemo(
      () => (n: () => void) => session.onPresence(n),
      [session],
    ),
  );
  return useMemo(() => {
    const mine = session.syncs.meta.doc.clientID;
    return [...session.presence()].map(([id, p]) => ({ ...p, id, me: id === mine })).sort((a, b) => Number(b.me) - Number(a.me) || a.name.localeCompare(b.name));
  }, [session, tick]);
}

/** What my role lets me do here. The server enforces it anyway; the page only leaves out what would be refused. */
export interface Rights {
  write: boolean;
  manage: boolean;
  /** The role is known (from the server or from this browser's last visit). */
  known: boolean;
}

export function rightsOf(members: Members, admin: boolean): Rights {
  // Offline on a first visit: let the person write; the server decides when it is back.
  const unknownOffline = members.status === 'offline' && members.role === null;
  return {
    write: unknownOffline || roleAllows(members.role, 'write'),
    manage: roleAllows(members.role, 'manage') || (admin && members.status === 'ok'),
    known: members.role !== null || members.status !== 'loading',
  };
}

export function Room({ incidentId, view, identity, admin }: { incidentId: string; view: View; identity: Identity; admin: boolean }) {
  const members = useMembers(incidentId, identity.userId);
  // The server ended my access to this incident while the page was open (removed from it).
  const ended = useIncidentEnd(incidentId);
  const excluded = members.status === 'notMember' || members.status === 'notFound' || ended !== null;
  const { open, error } = useIncident(identity, incidentId, !excluded);
  useEffect(() => {
    if (members.status === 'notMember' || ended) forgetIncidentLocally(identity.userId, incidentId);
  }, [members.status, ended, identity.userId, incidentId]);
  useEffect(() => () => clearIncidentEnd(incidentId), [incidentId]);
  const { t } = useI18n();
  if (members.status === 'notFound') return <LinkProblem kind="unknown" id={incidentId} />;
  if (ended) return <NotInIncident incidentId={incidentId} message={endWords(t, ended.code)} members={admin && members.status === 'notMember' ? members : null} me={identity.userId} />;
  if (members.status === 'notMember') return <NotInIncident incidentId={incidentId} message={t.notMember} members={admin ? members : null} me={identity.userId} />;
  if (error) return <p class="page-error">{error}</p>;
  if (!open) return <p class="loading">{t.loadingIncident}</p>;
  return (
    <ServerClock session={open.session}>
      <RoomInner open={open} view={view} me={identity.name} members={members} rights={rightsOf(members, admin)} meId={identity.userId} />
    </ServerClock>
  );
}

/** Not (or no longer) a member: nothing of the incident is shown. An administrator may add people (themselves included). */
function NotInIncident({ incidentId, message, members, me }: { incidentId: string; message: string; members: Members | null; me?: string }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${message} — ${t.appTitle}`;
  }, [message, t]);
  return (
    <main class="list-page" data-testid="not-member">
      <p>
        <a class="back" href="#/">
          ← {t.back}
        </a>
      </p>
      <p class="banner warn" role="alert">
        {message}
      </p>
      {members && me && (
        <section class="card-box">
          <p class="muted">{t.adminMayManage}</p>
          <MembersPanel incidentId={incidentId} members={members} canManage meId={me} />
        </section>
      )}
    </main>
  );
}

const VIEW_KEYS: Record<string, View> = { KeyJ: 'log', KeyK: 'tasks', KeyN: 'decisions', KeyB: 'reports', KeyG: 'regulatory', KeyL: 'timeline' };

function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

function RoomInner({ open, view, me, meId, members, rights }: { open: OpenIncident; view: View; me: string; meId: string; members: Members; rights: Rights }) {
  const i18n = useI18n();
  const { t } = i18n;
  const timelineWords = useTimelineWords();
  const { session, client, marks } = open;
  const meta = useMeta(session);
  const clocks = useClocks(session, meta);
  const connection = useConnection(client);
  useSignal(useMemo(() => (n: () => void) => session.onPending(n), [session]));
  useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  const pending = session.pendingCount || marks.size;
  const people = usePresence(session);
  const tasks = useTasks(open);
  const decisions = useDecisions(open);
  const reports = useReports(open);
  const now = useNow(30_000);
  const [revealId, setRevealId] = useState<string | null>(null);
  const [rejected, setRejected] = useState<RejectedEdit[]>([]);
  const [handoverOpen, setHandoverOpen] = useState(false);
  const addRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    session.setPresence({ name: me, view });
  }, [session, me, view]);

  // A refusal for permission means my role changed (or I was removed): look at the members again.
  useEffect(
    () =>
      session.onRejected((e, edit) => {
        if (e.code === 'FORBIDDEN') members.reload();
        // What was typed is handed back whatever the reason; a refused join alone is the members panel's to explain.
        if (e.code !== 'FORBIDDEN' || edit.texts.length > 0) setRejected((all) => [...all, edit]);
      }),
    [session, members.reload],
  );
  // A part my role may not write sends nothing (an observer's copy; the metadata for a member).
  useEffect(() => session.setRole(members.role), [session, members.role]);
  useEffect(() => client.onEnd((e) => e.incidentId === session.incidentId && members.reload()), [client, session, members.reload]);

  useEffect(() => {
    document.title = `${meta?.title ?? t.appTitle} — ${viewName(view)}`;
    // viewName only depends on t.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta?.title, view, t]);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
        const target = VIEW_KEYS[ev.code];
        if (target) {
          ev.preventDefault();
          navigate({ page: 'room', incidentId: session.incidentId, view: target });
          return;
        }
        if (ev.code === 'KeyH') {
          ev.preventDefault();
          setHandoverOpen(true);
          return;
        }
        if (ev.code === 'KeyR') {
          ev.preventDefault();
          if (view !== 'log') navigate({ page: 'room', incidentId: session.incidentId, view: 'log' });
          requestAnimationFrame(() => document.getElementById('log-search')?.focus());
          return;
        }
        if (ev.code === 'KeyA' && view !== 'log') {
          ev.preventDefault();
          addRef.current?.focus();
          return;
        }
      }
      // In the log, typing anywhere writes in the quick-entry line.
      if (view === 'log' && !ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.key.length === 1 && !isEditable(document.activeElement) && !document.querySelector('.panel')) {
        document.getElementById('quick-entry')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, view]);

  const names = useMemo(() => {
    const set = new Set<string>([me]);
    for (const m of members.list ?? []) set.add(m.displayName);
    for (const p of people) set.add(p.name);
    for (const task of tasks) {
      if (task.assignee) set.add(task.assignee);
      set.add(task.createdBy);
    }
    for (const d of decisions) set.add(d.createdBy);
    return [...set].sort((a, b) => a.localeCompare(b));
  }, [people, tasks, decisions, me, members.list]);

  const openTasks = tasks.filter((x) => OPEN_STATUSES.has(x.status)).length;
  const overdue = tasks.filter((x) => isOverdue(x, now)).length;
  const viewName = (v: string) =>
    v === 'log' ? t.viewLog : v === 'tasks' ? t.viewTasks : v === 'decisions' ? t.viewDecisions : v === 'reports' ? reportWords(i18n.lang).viewReports : v === 'regulatory' ? t.viewRegulatory : v === 'management' ? t.viewManagement : v === 'members' ? t.viewMembers : v === 'audit' ? t.viewAudit : v === 'timeline' ? timelineWords.tab : v;

  const tab = (v: View, label: string, key: string | null, badge?: string | null, alarm = false) => (
    <a
      role="tab"
      aria-selected={view === v}
      aria-controls="room-view"
      class={`tab${view === v ? ' active' : ''}`}
      href={href({ page: 'room', incidentId: session.incidentId, view: v })}
      data-testid={`tab-${v}`}
      title={key ?? undefined}
      aria-keyshortcuts={key ?? undefined}
    >
      {label}
      {badge && <span class={`tab-badge${alarm ? ' alarm' : ''}`}>{badge}</span>}
      {key && <Kbd>{key}</Kbd>}
    </a>
  );

  return (
    <div class="room">
      <header class="room-head">
        <div class="head-line">
          <a class="back" href="#/">
            ← {t.back}
          </a>
          <div class="incident-title">
            <h1>{meta?.title ?? '…'}</h1>
            {meta && <SeverityBadge severity={meta.severity} label={t.severity} />}
            {meta && (
              <span class="elapsed" title={`${t.elapsed} (${i18n.dateTime(meta.detectedAt ?? meta.openedAt)})`}>
                {i18n.elapsed(meta.detectedAt ?? meta.openedAt, now)}
              </span>
            )}
            {meta && (
              <a class="countdown-link" href={href({ page: 'room', incidentId: session.incidentId, view: 'reports' })}>
                <ReportCountdown meta={meta} reports={reports} />
              </a>
            )}
            <HeaderCountdown clocks={clocks} href={href({ page: 'room', incidentId: session.incidentId, view: 'regulatory' })} />
            {rights.known && !rights.write && (
              <span class="badge readonly" data-testid="read-only" title={t.readOnlyHelp}>
                {t.mgmtReadOnly}
              </span>
            )}
          </div>
          <div class="head-end">
            <button type="button" class="ghost small" data-testid="handover-button" aria-haspopup="dialog" onClick={() => setHandoverOpen(true)}>
              {t.handover} <Kbd>Alt+H</Kbd>
            </button>
            <a class="mgmt-link" href={href({ page: 'management', incidentId: session.incidentId })} target="_blank" rel="noopener">
              {t.viewManagement} ↗
            </a>
            <a class="kit-link" data-testid="kit-link" href={kitUrl(session.incidentId, i18n.lang, i18n.timeZone)} download title={t.kitHelp}>
              {t.kitDownload}
            </a>
            <ConnectionIndicator status={connection.status} pending={pending} lastContact={connection.lastContact} endCode={connection.endReason?.code ?? null} />
            <span class="tz" title={t.timeZone}>
              {i18n.zoneLabel(now)}
            </span>
            <LangSwitch />
          </div>
        </div>
        <div class="head-line tabs-line">
          <nav class="tabs" role="tablist" aria-label={t.appTitle}>
            {tab('log', t.viewLog, 'Alt+J')}
            {tab('tasks', t.viewTasks, 'Alt+K', `${openTasks}${overdue > 0 ? ` · ⚠ ${overdue}` : ''}`, overdue > 0)}
            {tab('decisions', t.viewDecisions, 'Alt+N', String(decisions.length))}
            {tab('reports', reportWords(i18n.lang).viewReports, 'Alt+B', String(reports.filter((r) => r.status === 'published').length))}
            {tab('regulatory', t.viewRegulatory, 'Alt+G')}
            {tab('timeline', timelineWords.tab, 'Alt+L')}
            {tab('members', t.viewMembers, null, members.list ? String(members.list.length) : null)}
            {rights.manage && tab('audit', t.auditTab, null)}
          </nav>
          <ul class="presence" aria-label={t.presence} data-testid="presence">
            {people.map((p) => (
              <li class={`person${p.me ? ' me' : ''}`} data-name={p.name} data-view={p.view} title={`${p.name} — ${t.inView} ${viewName(p.view)}`}>
                <span class="avatar" aria-hidden="true">
                  {initials(p.name)}
                </span>
                {p.me ? (
                  <span class="person-name">
                    {t.you}
                    <span class="sr-only"> ({p.name})</span>
                  </span>
                ) : (
                  <>
                    <span class="person-name">{p.name}</span>
                    <span class="person-view">{viewName(p.view)}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
        <RefusalNotice refusals={rejected} onClose={() => setRejected([])} />
      </header>
      {handoverOpen && (
        <HandoverPanel
          incidentId={session.incidentId}
          onClose={() => setHandoverOpen(false)}
          onReveal={(id) => {
            setHandoverOpen(false);
            setRevealId(id);
            navigate({ page: 'room', incidentId: session.incidentId, view: 'log' });
          }}
        />
      )}
      <main class="room-body">
        <div id="room-view" class="room-panel" role="tabpanel">
        {view === 'log' && <LogView open={open} me={me} revealId={revealId} readOnly={!rights.write} />}
        {view === 'tasks' && (
          <TaskBoard
            open={open}
            people={names}
            addRef={addRef}
            readOnly={!rights.write}
            onRevealEntry={(id) => {
              setRevealId(id);
              navigate({ page: 'room', incidentId: session.incidentId, view: 'log' });
            }}
          />
        )}
        {view === 'decisions' && (
          <DecisionsView
            open={open}
            addRef={addRef}
            readOnly={!rights.write}
            // Directors decide, members where the incident lets them (the server refuses the rest: DECISION_AUTHORITY). Unknown role offline: let them try.
            canDecide={members.role === null || roleAllows(members.role, 'decide') || (members.role === 'member' && meta?.membersMayApprove === true)}
          />
        )}
        {view === 'reports' && <ReportsView open={open} meta={meta} addRef={addRef} canWrite={rights.write} canManage={rights.manage} />}
        {view === 'regulatory' && <RegulatoryView open={open} meta={meta} readOnly={!rights.write} director={roleAllows(members.role, 'writeMeta')} />}
        {view === 'timeline' && <TimelineView open={open} />}
        {view === 'members' && (
          <div class="page-panel">
            <MembersPanel incidentId={session.incidentId} members={members} canManage={rights.manage} meId={meId} />
          </div>
        )}
        {view === 'audit' && (
          <div class="page-panel">
            {rights.manage ? <AuditTable scope={{ incidentId: session.incidentId }} /> : <p class="muted">{t.directorsOnly}</p>}
          </div>
        )}
        </div>
      </main>
      <footer class="room-foot">
        <details>
          <summary>{t.shortcuts}</summary>
          <dl class="shortcuts">
            <dt>
              <Kbd>Alt+J</Kbd> <Kbd>Alt+K</Kbd> <Kbd>Alt+N</Kbd> <Kbd>Alt+B</Kbd> <Kbd>Alt+G</Kbd> <Kbd>Alt+L</Kbd>
            </dt>
            <dd>
              {t.scViews} ({t.viewLog}, {t.viewTasks}, {t.viewDecisions}, {reportWords(i18n.lang).viewReports}, {t.viewRegulatory}, {timelineWords.tab})
            </dd>
            <dt>
              <Kbd>⏎</Kbd>
            </dt>
            <dd>{t.scQuick}</dd>
            <dt>
              <Kbd>Alt+C</Kbd> <Kbd>Alt+S</Kbd> <Kbd>Alt+O</Kbd> <Kbd>Alt+T</Kbd> <Kbd>Alt+I</Kbd>
            </dt>
            <dd>
              {t.filterCategory}, {t.severity}, {t.source}, {t.eventTime}, {t.key}
            </dd>
            <dt>
              <Kbd>Alt+R</Kbd>
            </dt>
            <dd>{t.scFilter}</dd>
            <dt>
              <Kbd>Alt+A</Kbd>
            </dt>
            <dd>{t.scAdd}</dd>
            <dt>
              <Kbd>Shift+←/→</Kbd> <Kbd>Shift+↑/↓</Kbd>
            </dt>
            <dd>{t.boardKeys}</dd>
            <dt>
              <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
            </dt>
            <dd>{t.scEscape}</dd>
          </dl>
        </details>
        <span class="muted">
          {t.timeZone} : {i18n.zoneLabel(now)}
        </span>
      </footer>
      <Announcer />
    </div>
  );
}

/** "Dr Anne Martin (DSI)" → "AM": the letters of the first and last words, titles and brackets aside. */
export function initials(name: string): string {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 0 && !/^(dr|pr|m|mme|mr|mrs|ms)$/i.test(w));
  if (words.length === 0) return name.trim().slice(0, 1).toUpperCase() || '?';
  return ((words[0]![0] ?? '') + (words.length > 1 ? words[words.length - 1]![0] ?? '' : '')).toUpperCase();
}
