import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { IncidentState } from '../../../../shared/model/incident';
import { LOG_CATEGORIES, type LogCategory } from '../../../../shared/model/log';
import { type TimelineEvent, kindGroup } from '../../../../shared/timeline/events';
import type { IncidentSession } from '../../../sdk/incidentSession';
import { ApiError, OfflineError } from '../http';
import { OFFLINE, type TimelineKeep, useTimelineData } from './timelineData';
import { readerQuery } from '../i18n';
import { CategoryBadge, SeverityBadge, useI18n } from '../components/common/common';
import { type WindowData, fetchStateAt, fetchWindow } from './timelineApi';
import { MAX_POINTS, type Prepared, prepareWindow, windows } from './picture';
import type { LaneId } from '../../../../shared/timeline/picture/collector';
import { injectReactions } from '../../../../shared/timeline/picture/reactions';
import { standingLinks } from '../../../../shared/timeline/injectReferences';
import { TimelinePicture } from './TimelinePicture';
import { AsOfControl, PastState } from './PastState';
import { type TimeWindow, clampWindow, zoomAt } from './zoom';
import { eventNote, eventSubject, eventText, kindLabel, useWords } from './words';
import { fullTime } from './time';
import { ExportMenu } from './ExportMenu';
import { useShown } from '../components/common/useShown';
import './timeline.css';

type Group = ReturnType<typeof kindGroup>;
const GROUPS: Group[] = ['incident', 'log', 'task', 'decision', 'report', 'regulatory', 'member'];
/** An error kept as a marker, worded at render time (in the language shown then). */
const NOT_YET = '\u0000not-yet';

/**
 * The timeline tab of the incident room: the incident on a zoomable time axis (from the
 * journal, through the window route), the details of the event under the pointer or the focus,
 * and the incident as it was at a chosen moment. Read only for every role. It draws from REST
 * alone: `session` (the live documents, to follow changes and an exercise's reactions) may be
 * null while the incident's documents are still opening, so the picture does not wait for them.
 */
export function TimelineView({ incidentId, session, keep, onShown }: { incidentId: string; session: IncidentSession | null; keep?: TimelineKeep; onShown?: () => void }) {
  const words = useWords();
  const i18n = useI18n();
  const reader = readerQuery(i18n);

  const { data, loadError, loading, dirty, follow, setFollow, load } = useTimelineData(incidentId, session, reader, keep);
  useShown(data !== null || loadError !== null, onShown);

  // Filters by kind group and log category.
  const [hiddenGroups, setHiddenGroups] = useState<ReadonlySet<Group>>(new Set());
  const [hiddenCategories, setHiddenCategories] = useState<ReadonlySet<LogCategory>>(new Set());
  // The whole incident as first fetched: its bounds, and the picture when not zoomed.
  const allPrepared = useMemo(() => (data ? prepareWindow(data, () => true) : prepareWindow(NO_WINDOW, () => true)), [data]);

  // The window on screen: null = the whole incident.
  const [zoom, setZoom] = useState<TimeWindow | null>(null);
  const bounds = useMemo(() => (data ? windows(data.incident, allPrepared, data.deadlines, Date.parse(data.producedAt)) : null), [data, allPrepared]);
  const shown = bounds ? (zoom ? clampWindow(zoom, bounds.extent) : bounds.fit) : null;
  const zoomBy = (factor: number, anchor?: number) => {
    if (!shown || !bounds) return;
    setZoom(zoomAt(shown, factor, anchor ?? (shown.fromMs + shown.toMs) / 2, bounds.extent));
  };
  // Zoomed into an incident too large to fetch whole: the window on screen, fetched as it settles.
  const detail = useWindowDetail(incidentId, reader, data && !data.complete && zoom ? shown : null, data);
  const source = detail && shown && detail.window.fromMs <= shown.fromMs && detail.window.toMs >= shown.toMs ? detail : data;
  const prepared = useMemo(() => filtered(source, hiddenGroups, hiddenCategories), [source, hiddenGroups, hiddenCategories]);
  // An exercise's injects and the reactions to them (tasks and decisions say what they link in the live documents).
  const reactions = useMemo(() => injectReactions(prepared.events, session ? standingLinks(session.tasks.list(), session.decisions.list()) : standingLinks([], [])), [prepared, session]);

  const [activeId, setActiveId] = useState<string | null>(null);
  const active = useMemo(() => (activeId ? prepared.events.find((e) => e.id === activeId) ?? allPrepared.events.find((e) => e.id === activeId) ?? null : null), [activeId, prepared, allPrepared]);

  // As it was at T.
  const [at, setAt] = useState<number | null>(null);
  const past = usePastState(incidentId, at);

  // + / - / 0 anywhere on the page while the view is open, but in a field or a dialog.
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.defaultPrevented) return;
    const el = ev.target as HTMLElement;
    if (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable || document.querySelector('.panel')) return;
    if (ev.key === '+' || ev.key === '=') zoomBy(0.5, active && shown && Date.parse(active.at) >= shown.fromMs && Date.parse(active.at) <= shown.toMs ? Date.parse(active.at) : undefined);
    else if (ev.key === '-' || ev.key === '_') zoomBy(2);
    else if (ev.key === '0') setZoom(null);
    else return;
    ev.preventDefault();
  };
  useWindowKeys(onKeyDown);

  const minMs = data ? Date.parse(data.incident.openedAt) : 0;
  const allTimes = allPrepared.density?.times ?? allPrepared.times;
  const maxMs = data ? Math.max(minMs + 1_000, Date.parse(data.producedAt), allTimes.length ? allTimes[allTimes.length - 1]! : 0) : 0;

  return (
    <div class="page-panel tl-view" data-testid="timeline-view">
      <div class="tl-toolbar" role="toolbar" aria-label={words.tab}>
        <button type="button" class="small" onClick={() => zoomBy(0.5)} disabled={!shown} data-testid="tl-zoom-in" aria-keyshortcuts="+">
          + <span class="sr-only">{words.zoomIn}</span>
        </button>
        <button type="button" class="small" onClick={() => zoomBy(2)} disabled={!shown} data-testid="tl-zoom-out" aria-keyshortcuts="-">
          − <span class="sr-only">{words.zoomOut}</span>
        </button>
        <button type="button" class="small" onClick={() => setZoom(null)} disabled={!shown} data-testid="tl-fit" aria-keyshortcuts="0">
          {words.fit}
        </button>
        <span class="tl-sep" aria-hidden="true" />
        <GroupFilters hiddenGroups={hiddenGroups} hiddenCategories={hiddenCategories} onGroups={setHiddenGroups} onCategories={setHiddenCategories} />
        <span class="toolbar-end">
          {dirty && !follow && <span class="badge">{words.changed}</span>}
          <label class="tl-chip">
            <input type="checkbox" checked={follow} onChange={() => setFollow(!follow)} data-testid="tl-follow" />
            {words.autoRefresh}
          </label>
          <button type="button" class="small" onClick={() => void load()} disabled={loading} data-testid="tl-refresh" data-loading={loading}>
            ↻ {words.refresh}
          </button>
          <ExportMenu incidentId={incidentId} />
        </span>
      </div>
      {loadError && (
        <p class="banner error" role="alert">
          {words.failed}{i18n.t.colon} {loadError === OFFLINE ? words.offline : loadError}
        </p>
      )}
      {!data && !loadError && <p class="loading">{words.loading}</p>}
      {data && !data.intact && (
        <p class="banner error" role="alert">
          {words.integrityBroken}
        </p>
      )}
      {data && data.skipped > 0 && <p class="muted">{words.skipped(data.skipped)}</p>}
      {data && shown && bounds && (
        <div class="tl-main">
          <TimelinePicture
            meta={data.incident}
            deadlines={data.deadlines}
            prepared={prepared}
            reactions={reactions}
            window={shown}
            extent={bounds.extent}
            onWindow={setZoom}
            cursorMs={at}
            activeId={activeId}
            onActive={setActiveId}
          />
          <EventDetails event={active} onStateHere={(ms) => setAt(ms)} />
        </div>
      )}
      {data && <AsOfControl minMs={minMs} maxMs={maxMs} valueMs={at} onChange={setAt} />}
      {at !== null && <PastState at={at} state={past.state} loading={past.loading} error={past.error === null ? null : past.error === NOT_YET ? words.notYet : past.error === OFFLINE ? words.offline : `${words.pastFailed}${i18n.t.colon} ${past.error}`} onBack={() => setAt(null)} />}
    </div>
  );
}

/** The event under the pointer or the focus. Every text is a text node (never markup). */
function EventDetails({ event: e, onStateHere }: { event: TimelineEvent | null; onStateHere: (ms: number) => void }) {
  const words = useWords();
  const i18n = useI18n();
  if (!e) {
    return (
      <aside class="tl-details card-box" aria-live="polite" data-testid="tl-details">
        <p class="muted">{words.pick}</p>
      </aside>
    );
  }
  const subject = eventSubject(e, (s) => i18n.enums.status[s as keyof typeof i18n.enums.status] ?? s, i18n.t.colon);
  const note = eventNote(e);
  const text = [eventText(e), note ? i18n.quote(note) : ''].filter(Boolean).join('\n');
  const log = e.kind === 'log.entry' || e.kind === 'log.amendment' ? e.data : null;
  return (
    <aside class="tl-details card-box" aria-live="polite" data-testid="tl-details" data-id={e.id}>
      <h3 class="tl-details-kind">{kindLabel(e.kind, i18n.lang)}</h3>
      <dl class="tl-details-list">
        <dt>{words.serverTime}</dt>
        <dd>
          <time dateTime={e.at} data-testid="tl-details-time">
            {fullTime(i18n, e.at)}
          </time>
        </dd>
        {e.eventAt && e.eventAt !== e.at && (
          <>
            <dt>{words.eventTime}</dt>
            <dd>
              <time dateTime={e.eventAt}>{fullTime(i18n, e.eventAt)}</time>
            </dd>
          </>
        )}
        <dt>{words.author}</dt>
        <dd data-testid="tl-details-author">{e.author}</dd>
        {log && log.writtenBy !== e.author && (
          <>
            <dt>{words.writtenBy}</dt>
            <dd>{log.writtenBy}</dd>
          </>
        )}
      </dl>
      {log && (
        <p>
          <CategoryBadge category={log.category} /> <SeverityBadge severity={log.severity} />
          {log.key && <span class="badge key-badge">{words.key}</span>}
        </p>
      )}
      {log?.inject && (
        <p class="tl-details-inject" data-testid="tl-details-inject">
          ⚑ {i18n.t.injectBadge} — {i18n.t.exercise.channels[log.inject.channel]} — {i18n.t.injectFrom} {log.inject.from}
          {log.inject.to ? ` → ${i18n.t.injectTo} ${log.inject.to}` : ''}
        </p>
      )}
      {subject && <p class="tl-details-subject">{subject}</p>}
      {text && (
        <p class="tl-text" data-testid="tl-details-text">
          {text}
        </p>
      )}
      <button type="button" class="small" onClick={() => onStateHere(Date.parse(e.at))} data-testid="tl-state-here">
        {words.stateHere}
      </button>
    </aside>
  );
}

function toggle<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
}

/** Buckets of a zoomed window's overview. */
const WINDOW_BUCKETS = 400;
const NO_WINDOW = { events: [], complete: true, window: { fromMs: 0, toMs: 0 }, overview: { buckets: 0, lanes: [], counts: [] } };

/** Whether the picture shows a lane, with these groups and categories hidden (the incident lane also holds reports and notifications). */
function laneShown(lane: LaneId, hiddenGroups: ReadonlySet<Group>, hiddenCategories: ReadonlySet<LogCategory>): boolean {
  if (lane.startsWith('log:')) return !hiddenGroups.has('log') && !hiddenCategories.has(lane.slice(4) as LogCategory);
  if (lane === 'incident') return !(hiddenGroups.has('incident') && hiddenGroups.has('report') && hiddenGroups.has('regulatory'));
  const group: Record<string, Group> = { tasks: 'task', decisions: 'decision', members: 'member' };
  return !hiddenGroups.has(group[lane] ?? 'incident');
}

/** A fetched window as the picture takes it, without the hidden groups and categories. */
function filtered(source: WindowData | null, hiddenGroups: ReadonlySet<Group>, hiddenCategories: ReadonlySet<LogCategory>): Prepared {
  if (!source) return prepareWindow(NO_WINDOW, () => true);
  if (hiddenGroups.size === 0 && hiddenCategories.size === 0) return prepareWindow(source, () => true);
  const events = source.events.filter((e) => !hiddenGroups.has(kindGroup(e.kind)) && !((e.kind === 'log.entry' || e.kind === 'log.amendment') && hiddenCategories.has(e.data.category)));
  return prepareWindow({ ...source, events }, (lane) => laneShown(lane, hiddenGroups, hiddenCategories));
}

/** The window on screen, fetched once it has stayed put a moment (null: nothing to fetch); refetched when the whole is. */
function useWindowDetail(incidentId: string, reader: string, shown: TimeWindow | null, whole: WindowData | null): WindowData | null {
  const [detail, setDetail] = useState<WindowData | null>(null);
  const fromMs = shown?.fromMs;
  const toMs = shown?.toMs;
  useEffect(() => {
    if (fromMs === undefined || toMs === undefined) return undefined;
    let current = true;
    const timer = window.setTimeout(() => {
      fetchWindow(incidentId, reader, { fromMs, toMs, limit: MAX_POINTS, buckets: WINDOW_BUCKETS }).then(
        (next) => current && setDetail(next),
        () => undefined, // the whole incident's picture stays; the next move asks again
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [incidentId, reader, fromMs, toMs, whole]);
  return detail;
}

/** The incident as it was at `at` (null: live), fetched from the server. */
function usePastState(incidentId: string, at: number | null): { state: IncidentState | null; loading: boolean; error: string | null } {
  const [past, setPast] = useState<{ state: IncidentState | null; loading: boolean; error: string | null }>({ state: null, loading: false, error: null });
  useEffect(() => {
    if (at === null) {
      setPast({ state: null, loading: false, error: null });
      return undefined;
    }
    let current = true;
    setPast((p) => ({ ...p, loading: true, error: null }));
    fetchStateAt(incidentId, new Date(at)).then(
      (state) => current && setPast({ state, loading: false, error: null }),
      (err: unknown) => current && setPast({ state: null, loading: false, error: err instanceof ApiError && err.code === 'NOT_FOUND' ? NOT_YET : err instanceof OfflineError ? OFFLINE : String(err instanceof Error ? err.message : err) }),
    );
    return () => {
      current = false;
    };
  }, [at, incidentId]);
  return past;
}

/** A keyboard handler on the whole window while the view is mounted (always the latest one). */
function useWindowKeys(onKeyDown: (ev: KeyboardEvent) => void): void {
  const keyRef = useRef(onKeyDown);
  keyRef.current = onKeyDown;
  useEffect(() => {
    const listener = (ev: KeyboardEvent) => keyRef.current(ev);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

/** Which kind groups and log categories the picture shows. */
function GroupFilters(props: { hiddenGroups: ReadonlySet<Group>; hiddenCategories: ReadonlySet<LogCategory>; onGroups: (s: Set<Group>) => void; onCategories: (s: Set<LogCategory>) => void }) {
  const { hiddenGroups, hiddenCategories } = props;
  const words = useWords();
  const i18n = useI18n();
  return (
    <fieldset class="tl-filters">
      <legend class="sr-only">{words.show}</legend>
      {GROUPS.map((group) => (
        <label class="tl-chip">
          <input type="checkbox" checked={!hiddenGroups.has(group)} data-testid={`tl-filter-${group}`} onChange={() => props.onGroups(toggle(hiddenGroups, group))} />
          {words.groups[group]}
        </label>
      ))}
      {!hiddenGroups.has('log') &&
        LOG_CATEGORIES.map((c) => (
          <label class="tl-chip small-chip">
            <input type="checkbox" checked={!hiddenCategories.has(c)} data-testid={`tl-filter-cat-${c}`} onChange={() => props.onCategories(toggle(hiddenCategories, c))} />
            {i18n.enums.category[c]}
          </label>
        ))}
    </fieldset>
  );
}
