import { useEffect, useRef, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { Report } from '../../../../../shared/model/reports';
import type { Clock } from '../../../../../shared/timeline/deadlines';
import type { RejectedEdit } from '../../../../sdk/incidentSession';
import { kitUrl } from '../../api';
import type { ConnectionView } from '../../connection';
import { reportWords } from '../../i18n';
import { View, href } from '../../router';
import { useWords as useTimelineWords } from '../../timeline/words';
import { ConnectionIndicator, Kbd, LangSwitch, SeverityBadge, useI18n } from '../common/common';
import { HeaderCountdown } from '../regulatory/clocks';
import { ReportCountdown } from '../reports/ReportCountdown';
import { Presence } from './Presence';
import { RefusalNotice } from './RefusalNotice';
import type { PresentPerson, Rights } from './roomHooks';

/** The numbers the tabs carry. */
export interface TabCounts {
  openTasks: number;
  overdue: number;
  decisions: number;
  published: number;
  members: number | null;
}

function RoomTabs({ incidentId, view, counts, manage, animation }: { incidentId: string; view: View; counts: TabCounts; manage: boolean; animation: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const timelineWords = useTimelineWords();
  const navRef = useRef<HTMLElement>(null);
  // The tabs scroll sideways on a narrow screen: the open one is always in sight, never cut.
  useEffect(() => {
    navRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [view]);
  const tab = (v: View, label: string, key: string | null, badge?: string | null, alarm = false) => (
    <a
      role="tab"
      aria-selected={view === v}
      aria-controls="room-view"
      class={`tab${view === v ? ' active' : ''}`}
      href={href({ page: 'room', incidentId, view: v })}
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
    <nav class="tabs" role="tablist" aria-label={t.appTitle} ref={navRef}>
      {tab('log', t.viewLog, 'Alt+J')}
      {tab('tasks', t.viewTasks, 'Alt+K', `${counts.openTasks}${counts.overdue > 0 ? ` · ⚠ ${counts.overdue}` : ''}`, counts.overdue > 0)}
      {tab('decisions', t.viewDecisions, 'Alt+N', String(counts.decisions))}
      {tab('reports', reportWords(i18n.lang).viewReports, 'Alt+B', String(counts.published))}
      {tab('regulatory', t.viewRegulatory, 'Alt+G')}
      {tab('timeline', timelineWords.tab, 'Alt+L')}
      {tab('members', t.viewMembers, null, counts.members === null ? null : String(counts.members))}
      {manage && tab('audit', t.auditTab, null)}
      {animation && tab('animation', t.exercise.tab, null)}
    </nav>
  );
}

export interface RoomHeaderProps {
  incidentId: string;
  meta: IncidentMeta | null;
  clocks: Clock[];
  reports: Report[];
  rights: Rights;
  connection: ConnectionView;
  pending: number;
  now: Date;
  view: View;
  counts: TabCounts;
  people: PresentPerson[];
  viewName: (v: string) => string;
  rejected: RejectedEdit[];
  onCloseRefusals: () => void;
  onHandover: () => void;
}

/**
 * The room's header: the incident (title, severity, time elapsed, countdowns), the links and
 * the connection, the tabs and who is here. On a phone the links fold behind one button; the
 * connection stays in sight.
 */
export function RoomHeader(p: RoomHeaderProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { meta, incidentId, rights, now } = p;
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <header class="room-head">
      <div class="head-line">
        <a class="back" href="#/">
          ← <span class="back-label">{t.back}</span>
        </a>
        <div class="incident-title">
          <h1>{meta?.title ?? '…'}</h1>
          <div class="incident-badges">
          {meta && <SeverityBadge severity={meta.severity} label={t.severity} />}
          {meta && (
            <span class="elapsed" title={`${t.elapsed} (${i18n.dateTime(meta.detectedAt ?? meta.openedAt)})`}>
              {i18n.elapsed(meta.detectedAt ?? meta.openedAt, now)}
            </span>
          )}
          {meta && (
            <a class="countdown-link" href={href({ page: 'room', incidentId, view: 'reports' })}>
              <ReportCountdown meta={meta} reports={p.reports} />
            </a>
          )}
          <HeaderCountdown clocks={p.clocks} href={href({ page: 'room', incidentId, view: 'regulatory' })} />
          {rights.known && !rights.write && (
            <span class="badge readonly" data-testid="read-only" title={t.readOnlyHelp}>
              {t.mgmtReadOnly}
            </span>
          )}
          </div>
        </div>
        <div class={`head-end${menuOpen ? ' unfolded' : ''}`}>
          <ConnectionIndicator status={p.connection.status} pending={p.pending} lastContact={p.connection.lastContact} endCode={p.connection.endReason?.code ?? null} />
          <button type="button" class="menu-toggle ghost" data-testid="room-menu" aria-expanded={menuOpen} aria-controls="room-links" onClick={() => setMenuOpen(!menuOpen)}>
            ☰ <span class="sr-only">{t.layout.roomMenu}</span>
          </button>
          <div class="room-links" id="room-links">
            <button type="button" class="ghost small" data-testid="handover-button" aria-haspopup="dialog" onClick={p.onHandover}>
              {t.handover} <Kbd>Alt+H</Kbd>
            </button>
            <a class="mgmt-link" href={href({ page: 'management', incidentId })} target="_blank" rel="noopener">
              {t.viewManagement} ↗
            </a>
            <a class="kit-link" data-testid="kit-link" href={kitUrl(incidentId, i18n.lang, i18n.timeZone)} download title={t.kitHelp}>
              {t.kitDownload}
            </a>
            <span class="tz" title={t.timeZone}>
              {i18n.zoneLabel(now)}
            </span>
            <LangSwitch />
          </div>
        </div>
      </div>
      <div class="head-line tabs-line">
        <RoomTabs incidentId={incidentId} view={p.view} counts={p.counts} manage={rights.manage} animation={rights.animation} />
        <Presence people={p.people} viewName={p.viewName} />
      </div>
      <RefusalNotice refusals={p.rejected} onClose={p.onCloseRefusals} />
    </header>
  );
}
