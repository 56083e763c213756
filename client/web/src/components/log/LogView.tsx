import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogEntry } from '../../../../../shared/model/log';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { useSettings } from '../../settings';
import { VirtualList } from '../common/VirtualList';
import { announce, useI18n } from '../common/common';
import { LogFilters } from './LogFilters';
import { LogRow } from './LogRow';
import { InjectRoleLabels, focusEntryRow } from './InjectParts';
import { PaperEntry } from './PaperEntry';
import { LogPreview, useFirstScreen } from './LogPreview';
import type { LogPreviewKeep } from './latestEntries';
import { QuickEntry } from './QuickEntry';
import { type Filters, LiveFilter, NO_FILTERS, SEVERITY_RANK, liveIndexOf } from './logIndex';

/** Alt+V: the verification control of the entry holding the focus, else of the newest entry shown. Alt+P: paper transcription mode on and off. */
function useLogKeys(newestFirst: boolean, readOnly: boolean, togglePaper: () => void): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (ev.code === 'KeyV') {
        ev.preventDefault();
        const row = document.activeElement?.closest('[data-testid="log-entry"]');
        const inRow = row?.querySelector<HTMLElement>('[data-verif]');
        const all = [...document.querySelectorAll<HTMLElement>('#log-list [data-verif]')];
        (inRow ?? (newestFirst ? all[0] : all[all.length - 1]))?.focus();
      } else if (ev.code === 'KeyP' && !readOnly) {
        ev.preventDefault();
        togglePaper();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newestFirst, readOnly, togglePaper]);
}

/**
 * The log of the incident (main courante): filters, the virtualised list and the quick-entry
 * line. Read only (observers): no quick entry, no amend or task buttons.
 */
export function LogView({ open, me, revealId, readOnly = false, preview }: { open: OpenIncident; me: string; revealId: string | null; readOnly?: boolean; preview?: LogPreviewKeep }) {
  const { session, marks } = open;
  const { t, enums } = useI18n();
  const settings = useSettings();
  const logTick = useSignal(useMemo(() => (n: () => void) => session.onChange('log', n), [session]));
  const marksTick = useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  // The live index catches up with what arrived since (not a new index of the whole log per entry).
  const live = liveIndexOf(session.log);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  const index = useMemo(() => live.current(), [live, logTick]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [amending, setAmending] = useState<LogEntry | null>(null);
  /** The entry the quick-entry line answers (`r` on an entry, or its reply button). */
  const [replying, setReplying] = useState<LogEntry | null>(null);
  /** The entry brought into view: the room's (a linked entry) or, after it, one an "answers" line points to. */
  const [reveal, setReveal] = useState<string | null>(revealId);
  useEffect(() => setReveal(revealId), [revealId]);
  /** The entry whose verification history and control are unfolded (held here so the list re-measures). */
  const [historyOpen, setHistoryOpen] = useState<string | null>(null);
  /** Long entries shown whole (held here too: the list measures rows when it renders). */
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [paperMode, setPaperMode] = useState(false);
  const [liveFilter] = useState(() => new LiveFilter());
  const verifications = session.log.verificationArray.length;
  const filtered = useMemo(() => {
    const chronological = liveFilter.view(live, index, filters, (e) => session.log.currentVerification(e), verifications);
    // A new array for the list (the live ones change in place): a copy, not a sort or a filter.
    return settings.newestFirst ? chronological.slice().reverse() : chronological.slice();
  }, [live, liveFilter, index, filters, settings.newestFirst, session, verifications]);
  const quickRef = useRef<HTMLInputElement>(null);
  const togglePaper = useMemo(() => () => setPaperMode((on) => !on), []);
  useLogKeys(settings.newestFirst, readOnly, togglePaper);

  const firstScreen = useFirstScreen(preview, session, index.entries.length === 0);
  const render = (e: LogEntry) => (
    <LogRow
      entry={e}
      verification={session.log.currentVerification(e)}
      history={session.log.verificationHistory(e.id)}
      historyOpen={historyOpen === e.id}
      onToggleHistory={() => setHistoryOpen(historyOpen === e.id ? null : e.id)}
      onVerify={(state, note) => {
        session.setVerification(e.id, state, note);
        announce(`${t.verificationSet}${t.colon} ${enums.verification[state]}`);
      }}
      original={e.amends ? index.byId.get(e.amends) ?? null : null}
      corrections={index.amendments.get(e.id) ?? null}
      waiting={marks.has(e.id)}
      highlighted={e.id === reveal}
      readOnly={readOnly}
      expanded={expanded.has(e.id)}
      onToggleExpand={() => {
        const next = new Set(expanded);
        if (!next.delete(e.id)) next.add(e.id);
        setExpanded(next);
      }}
      onAmend={() => {
        setReplying(null);
        setAmending(e);
        quickRef.current?.focus();
      }}
      onReply={() => {
        setAmending(null);
        setReplying(e);
        quickRef.current?.focus();
      }}
      answered={e.replyTo ? index.byId.get(e.replyTo) ?? null : null}
      onShowAnswered={() => {
        if (!e.replyTo) return;
        setReveal(e.replyTo);
        focusEntryRow(e.replyTo);
      }}
      onTask={() => {
        const task = session.createTask({ title: e.text.slice(0, 300), logLinks: [e.id], priority: SEVERITY_RANK[e.severity] >= 2 ? 'high' : 'normal' });
        marks.add('tasks', task.id);
        announce(`${t.taskFromEntry}${t.colon} ${task.title}`);
      }}
    />
  );
  void marksTick;

  const list = (
    <VirtualList
      items={filtered}
      itemKey={(e) => e.id}
      render={render}
      estimate={62}
      anchor={settings.newestFirst ? 'top' : 'bottom'}
      revealKey={reveal}
      label={t.logLabel}
      id="log-list"
      empty={<p class="empty">{index.entries.length > 0 ? t.noMatch : firstScreen.waiting ? t.loadingIncident : t.emptyLog}</p>}
    />
  );
  const entry = readOnly ? null : paperMode ? (
    <PaperEntry open={open} onDone={() => setPaperMode(false)} />
  ) : (
    <QuickEntry open={open} me={me} index={index} amending={amending} setAmending={setAmending} replying={replying} setReplying={setReplying} inputRef={quickRef} />
  );

  if (firstScreen.page) return <LogPreview page={firstScreen.page} />;

  return (
    <section class="log-view" aria-label={t.logLabel}>
      <LogFilters filters={filters} setFilters={setFilters} authors={index.authors} total={index.entries.length} shown={filtered.length} readOnly={readOnly} paperMode={paperMode} setPaperMode={setPaperMode} />
      {settings.newestFirst ? entry : null}
      {/* Only an exercise's log holds injects: only then is its public view read, for the roles' labels. */}
      <InjectRoleLabels incidentId={session.incidentId} isExercise={index.hasInjects}>
        {list}
      </InjectRoleLabels>
      {settings.newestFirst ? null : entry}
    </section>
  );
}
