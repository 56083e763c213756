import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, LogCategory, LogEntry, LogEntryInput, VERIFICATION_STATES, Verification } from '../../../../../shared/model/log';
import type { VerificationRecord } from '../../../../../shared/model/verification';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { parseQuickEntry, parseTime, resolveEventTime } from '../../quickEntry';
import { getSettings, updateSettings, useSettings } from '../../settings';
import { VirtualList } from '../common/VirtualList';
import { CategoryBadge, Kbd, SeverityBadge, WaitingBadge, announce, useI18n } from '../common/common';
import { PaperEntry } from './PaperEntry';
import { DecisionOffer } from './DecisionOffer';
import { type DecisionPrefill, prefillFromEntry } from '../../decisionPrefill';

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface LogIndex {
  /** Chronological by time of writing (then by order in the document). */
  entries: LogEntry[];
  byId: Map<string, LogEntry>;
  /** Original id → its corrections, oldest first. */
  amendments: Map<string, LogEntry[]>;
  authors: string[];
}

export function indexLog(raw: LogEntry[]): LogIndex {
  const entries = raw.map((e, i) => ({ e, i })).sort((a, b) => (a.e.recordedAt < b.e.recordedAt ? -1 : a.e.recordedAt > b.e.recordedAt ? 1 : a.i - b.i)).map((x) => x.e);
  const byId = new Map<string, LogEntry>();
  const amendments = new Map<string, LogEntry[]>();
  const authors = new Set<string>();
  for (const e of entries) {
    byId.set(e.id, e);
    authors.add(e.author);
    if (e.amends) {
      const list = amendments.get(e.amends);
      if (list) list.push(e);
      else amendments.set(e.amends, [e]);
    }
  }
  return { entries, byId, amendments, authors: [...authors].sort((a, b) => a.localeCompare(b)) };
}

const searchCache = new WeakMap<LogEntry, string>();
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
function searchable(e: LogEntry): string {
  let s = searchCache.get(e);
  if (s === undefined) {
    s = fold(`${e.text} ${e.source ?? ''} ${e.author} ${e.tags.join(' ')}`);
    searchCache.set(e, s);
  }
  return s;
}

interface Filters {
  text: string;
  category: LogCategory | '';
  minSeverity: Severity | '';
  author: string;
  keyOnly: boolean;
  /** The entry's current state (its last verification record, else its own field). */
  verification: Verification | '';
}
const NO_FILTERS: Filters = { text: '', category: '', minSeverity: '', author: '', keyOnly: false, verification: '' };

/**
 * The log of the incident (main courante): filters, the virtualised list and the quick-entry
 * line. Read only (observers): no quick entry, no amend or task buttons.
 */
export function LogView({ open, me, revealId, readOnly = false }: { open: OpenIncident; me: string; revealId: string | null; readOnly?: boolean }) {
  const { session, marks } = open;
  const { t, enums } = useI18n();
  const settings = useSettings();
  const logTick = useSignal(useMemo(() => (n: () => void) => session.onChange('log', n), [session]));
  const marksTick = useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  const index = useMemo(() => indexLog(session.log.entries()), [session, logTick]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [amending, setAmending] = useState<LogEntry | null>(null);
  /** The entry whose verification history and control are unfolded (held here so the list re-measures). */
  const [historyOpen, setHistoryOpen] = useState<string | null>(null);
  const [paperMode, setPaperMode] = useState(false);
  const filtered = useMemo(() => {
    const q = fold(filters.text.trim());
    const minRank = filters.minSeverity ? SEVERITY_RANK[filters.minSeverity] : -1;
    const active = q || filters.category || minRank >= 0 || filters.author || filters.keyOnly || filters.verification;
    const list = active
      ? index.entries.filter(
          (e) =>
            (!filters.category || e.category === filters.category) &&
            SEVERITY_RANK[e.severity] >= minRank &&
            (!filters.author || e.author === filters.author) &&
            (!filters.keyOnly || e.key) &&
            (!filters.verification || session.log.currentVerification(e) === filters.verification) &&
            (!q || searchable(e).includes(q)),
        )
      : index.entries;
    return settings.newestFirst ? [...list].reverse() : list;
  }, [index, filters, settings.newestFirst, session]);
  const filtering = filtered.length !== index.entries.length;
  const quickRef = useRef<HTMLInputElement>(null);

  // Alt+V: the verification control of the entry holding the focus, else of the newest entry
  // shown. Alt+P: paper transcription mode on and off.
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (ev.code === 'KeyV') {
        ev.preventDefault();
        const row = document.activeElement?.closest('[data-testid="log-entry"]');
        const inRow = row?.querySelector<HTMLElement>('[data-verif]');
        const all = [...document.querySelectorAll<HTMLElement>('#log-list [data-verif]')];
        (inRow ?? (settings.newestFirst ? all[0] : all[all.length - 1]))?.focus();
      } else if (ev.code === 'KeyP' && !readOnly) {
        ev.preventDefault();
        setPaperMode((on) => !on);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [settings.newestFirst, readOnly]);

  const render = (e: LogEntry) => (
    <LogRow
      entry={e}
      verification={session.log.currentVerification(e)}
      history={session.log.verificationHistory(e.id)}
      historyOpen={historyOpen === e.id}
      onToggleHistory={() => setHistoryOpen(historyOpen === e.id ? null : e.id)}
      onVerify={(state, note) => {
        session.setVerification(e.id, state, note);
        announce(`${t.verificationSet} : ${enums.verification[state]}`);
      }}
      original={e.amends ? index.byId.get(e.amends) ?? null : null}
      corrections={index.amendments.get(e.id) ?? null}
      waiting={marks.has(e.id)}
      highlighted={e.id === revealId}
      readOnly={readOnly}
      onAmend={() => {
        setAmending(e);
        quickRef.current?.focus();
      }}
      onTask={() => {
        const task = session.createTask({ title: e.text.slice(0, 300), logLinks: [e.id], priority: SEVERITY_RANK[e.severity] >= 2 ? 'high' : 'normal' });
        marks.add('tasks', task.id);
        announce(`${t.taskFromEntry} : ${task.title}`);
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
      revealKey={revealId}
      label={t.logLabel}
      id="log-list"
      empty={<p class="empty">{index.entries.length === 0 ? t.emptyLog : t.noMatch}</p>}
    />
  );
  const entry = readOnly ? null : paperMode ? (
    <PaperEntry open={open} onDone={() => setPaperMode(false)} />
  ) : (
    <QuickEntry open={open} me={me} index={index} amending={amending} setAmending={setAmending} inputRef={quickRef} />
  );

  return (
    <section class="log-view" aria-label={t.logLabel}>
      <div class="toolbar" role="search">
        <label class="field grow">
          <span>
            {t.filterText} <Kbd>Alt+R</Kbd>
          </span>
          <input id="log-search" type="search" value={filters.text} placeholder={t.filterTextPlaceholder} onInput={(e) => setFilters({ ...filters, text: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span>{t.filterCategory}</span>
          <select value={filters.category} onChange={(e) => setFilters({ ...filters, category: e.currentTarget.value as LogCategory | '' })}>
            <option value="">{t.all}</option>
            {LOG_CATEGORIES.map((c) => (
              <option value={c}>{enums.category[c]}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterSeverity} ≥</span>
          <select value={filters.minSeverity} onChange={(e) => setFilters({ ...filters, minSeverity: e.currentTarget.value as Severity | '' })}>
            <option value="">{t.all}</option>
            {SEVERITIES.map((s) => (
              <option value={s}>{enums.severity[s]}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterAuthor}</span>
          <select value={filters.author} onChange={(e) => setFilters({ ...filters, author: e.currentTarget.value })}>
            <option value="">{t.allAuthors}</option>
            {index.authors.map((a) => (
              <option value={a}>{a}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t.filterVerification}</span>
          <select data-testid="filter-verification" value={filters.verification} onChange={(e) => setFilters({ ...filters, verification: e.currentTarget.value as Verification | '' })}>
            <option value="">{t.all}</option>
            {VERIFICATION_STATES.map((v) => (
              <option value={v}>{enums.verification[v]}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" data-testid="key-only" checked={filters.keyOnly} onChange={(e) => setFilters({ ...filters, keyOnly: e.currentTarget.checked })} />
          <span>★ {t.keyOnly}</span>
        </label>
        {!readOnly && (
          <button type="button" class="ghost" data-testid="paper-mode" aria-pressed={paperMode} title={t.paperModeHelp} onClick={() => setPaperMode(!paperMode)}>
            ✍ {t.paperMode} <Kbd>Alt+P</Kbd>
          </button>
        )}
        {filtering && (
          <button type="button" class="ghost" onClick={() => setFilters(NO_FILTERS)}>
            {t.clearFilters}
          </button>
        )}
        <div class="toolbar-end">
          <span class="count" data-testid="log-count" data-total={index.entries.length}>
            {t.entries(index.entries.length)}
            {filtering && ` · ${t.shown(filtered.length)}`}
          </span>
          <button type="button" class="ghost" aria-pressed={settings.newestFirst} onClick={() => updateSettings({ newestFirst: !getSettings().newestFirst })}>
            {settings.newestFirst ? `↑ ${t.newestTop}` : `↓ ${t.newestBottom}`}
          </button>
        </div>
      </div>
      {settings.newestFirst ? entry : null}
      {list}
      {settings.newestFirst ? null : entry}
    </section>
  );
}

function LogRow({
  entry: e,
  verification,
  history,
  historyOpen,
  onToggleHistory,
  onVerify,
  original,
  corrections,
  waiting,
  highlighted,
  readOnly,
  onAmend,
  onTask,
}: {
  entry: LogEntry;
  verification: Verification;
  history: VerificationRecord[];
  historyOpen: boolean;
  onToggleHistory: () => void;
  onVerify: (state: Verification, note?: string) => void;
  original: LogEntry | null;
  corrections: LogEntry[] | null;
  waiting: boolean;
  highlighted: boolean;
  readOnly: boolean;
  onAmend: () => void;
  onTask: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const latest = corrections?.[corrections.length - 1];
  return (
    <article
      class={`entry cat-${e.category} sev-${e.severity}${e.key ? ' key' : ''}${latest ? ' amended' : ''}${waiting ? ' is-waiting' : ''}${highlighted ? ' highlighted' : ''}`}
      data-testid="log-entry"
      data-id={e.id}
    >
      <div class="entry-time">
        <time dateTime={e.recordedAt} title={`${t.recordedAt} ${i18n.dateTime(e.recordedAt)}`}>
          {i18n.time(e.recordedAt)}
        </time>
        {e.eventAt && (
          <span class="event-at" title={`${t.eventAt} ${i18n.dateTime(e.eventAt)}`}>
            ◷ {i18n.shortTime(e.eventAt)}
          </span>
        )}
      </div>
      <div class="entry-main">
        <div class="entry-meta">
          <CategoryBadge category={e.category} />
          {e.severity !== 'low' && <SeverityBadge severity={e.severity} />}
          {e.key && (
            <span class="badge key-badge" title={t.key}>
              ★ {t.key}
            </span>
          )}
          {e.amends && <span class="badge amend-badge">✎ {t.amendment}</span>}
          {latest && (
            <span class="badge amended-badge" title={`${t.amendedBy} ${i18n.time(latest.recordedAt)}`}>
              {t.amendedBy} {i18n.shortTime(latest.recordedAt)}
            </span>
          )}
          <VerificationButton state={verification} changes={history.length} open={historyOpen} readOnly={readOnly} onToggle={onToggleHistory} onSet={(state) => onVerify(state)} />
          {e.paper && (
            <span class="badge paper-badge" data-testid="paper-badge" title={`${t.paperWrittenBy} ${e.paper.writer}${e.paper.sheet ? ` — ${t.paperSheet} ${e.paper.sheet}` : ''}`}>
              ✍ {t.paperBadge} : {e.paper.writer}
              {e.paper.sheet ? ` (${e.paper.sheet})` : ''}
            </span>
          )}
          <span class="author">{e.author}</span>
          {e.source && <span class="source">← {e.source}</span>}
          {e.tags.map((tag) => (
            <span class="tag">#{tag}</span>
          ))}
          {waiting && <WaitingBadge />}
        </div>
        <p class="entry-text" data-testid="entry-text">
          {e.text}
        </p>
        {original && (
          <p class="entry-original">
            <span class="label">
              {t.replaces} ({i18n.shortTime(original.recordedAt)}, {original.author}) :
            </span>{' '}
            <del>{original.text}</del>
          </p>
        )}
        {historyOpen && <VerificationPanel entry={e} state={verification} history={history} readOnly={readOnly} onSet={onVerify} />}
      </div>
      {!readOnly && (
        <div class="entry-actions">
          <button type="button" class="small ghost" onClick={onAmend} aria-label={`${t.amend} : ${e.text.slice(0, 60)}`}>
            ✎ {t.amend}
          </button>
          <button type="button" class="small ghost" onClick={onTask} aria-label={`${t.toTask} : ${e.text.slice(0, 60)}`}>
            → {t.toTask}
          </button>
        </div>
      )}
    </article>
  );
}

function cycle<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length]!;
}

/** The line that is always ready: type, Enter, done. Prefixes and Alt shortcuts set the rest. */
function QuickEntry({
  open,
  me,
  index,
  amending,
  setAmending,
  inputRef,
}: {
  open: OpenIncident;
  me: string;
  index: LogIndex;
  amending: LogEntry | null;
  setAmending: (e: LogEntry | null) => void;
  inputRef: { current: HTMLInputElement | null };
}) {
  const { session, marks } = open;
  const i18n = useI18n();
  const { t, enums } = i18n;
  const [text, setText] = useState('');
  const [category, setCategory] = useState<LogCategory>('information');
  const [severity, setSeverity] = useState<Severity>('low');
  const [source, setSource] = useState('');
  const [time, setTime] = useState('');
  const [key, setKey] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** A `#decision` entry just posted: offered to the decisions register. */
  const [offer, setOffer] = useState<DecisionPrefill | null>(null);
  const sourceRef = useRef<HTMLInputElement>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const textNow = useRef(text);
  textNow.current = text;

  // An entry the server refused comes back into the line (unless something else is being
  // typed there; the room's notice has it to copy then), so nothing typed is lost.
  useEffect(
    () =>
      session.onRejected((_e, edit) => {
        const back = edit.entries[0]?.text;
        if (!back || textNow.current.trim()) return;
        setText(back);
        setError(t.refusedTextBack);
      }),
    [session, t],
  );

  const parsed = parseQuickEntry(text);
  const effective = {
    category: parsed.category ?? category,
    severity: parsed.severity ?? severity,
    source: parsed.source ?? (source.trim() || null),
    time: parsed.eventTime ?? (time.trim() ? parseTime(time.trim()) : null),
    key: parsed.key ?? key,
  };
  const badTime = parsed.badTime || (time.trim() !== '' && !parseTime(time.trim()));

  // Ready to type on arrival, unless the user has already gone elsewhere: the effect runs after
  // the first paint, and taking focus then would swallow what they type there (leaving the paper
  // mode with Esc, then Alt+V and 2 at once, sent the "2" into this line).
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) inputRef.current?.focus();
  }, [inputRef]);

  // Start an amendment with the original's text and settings, ready to be corrected: before the
  // banner is painted, so that what is typed next is never overwritten by the original.
  useLayoutEffect(() => {
    if (!amending) return;
    setText(amending.text);
    setCategory(amending.category);
    setSeverity(amending.severity);
    setSource(amending.source ?? '');
    setKey(amending.key);
    setTime(amending.eventAt ? clockTime(amending.eventAt) : '');
    inputRef.current?.focus();
    // Only when another entry is being amended.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [amending]);

  const reset = () => {
    setText('');
    setCategory('information');
    setSeverity('low');
    setSource('');
    setTime('');
    setKey(false);
    setError(null);
    setAmending(null);
  };

  const post = () => {
    if (!parsed.text) return;
    if (badTime) {
      setError(t.invalidTime);
      return;
    }
    const now = session.now();
    const input: LogEntryInput = {
      text: parsed.text,
      category: effective.category,
      severity: effective.severity,
      source: effective.source,
      // An amendment that keeps the original's clock time keeps its exact event time (maybe days ago).
      eventAt: amending?.eventAt && sameClock(effective.time, amending.eventAt) ? amending.eventAt : effective.time ? resolveEventTime(effective.time, now).toISOString() : null,
      key: effective.key,
      tags: parsed.tags,
    };
    try {
      const entry = amending ? session.amend(amending.id, input) : session.appendLog(input);
      marks.add('log', entry.id);
      setOffer(!amending && input.category === 'decision' ? prefillFromEntry(entry.text, entry.id) : null);
      reset();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    inputRef.current?.focus();
  };

  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      const code = ev.code;
      if (code === 'KeyC') setCategory(cycle(LOG_CATEGORIES, effective.category));
      else if (code === 'KeyS') setSeverity(cycle(SEVERITIES, effective.severity));
      else if (code === 'KeyO') sourceRef.current?.focus();
      else if (code === 'KeyT') timeRef.current?.focus();
      else if (code === 'KeyI') setKey(!effective.key);
      else return;
      ev.preventDefault();
      return;
    }
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      post();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      reset();
      inputRef.current?.focus();
    } else if (ev.key === 'ArrowUp' && text === '' && ev.target === inputRef.current) {
      const mine = [...index.entries].reverse().find((e) => e.author === me);
      if (mine) {
        ev.preventDefault();
        setAmending(mine);
      }
    }
  };

  const chips: string[] = [];
  if (parsed.category) chips.push(`${t.filterCategory} : ${enums.category[parsed.category]}`);
  if (parsed.severity) chips.push(`${t.severity} : ${enums.severity[parsed.severity]}`);
  if (parsed.source) chips.push(`${t.source} : ${parsed.source}`);
  if (parsed.eventTime) chips.push(`${t.eventTime} : ${String(parsed.eventTime.hours).padStart(2, '0')}:${String(parsed.eventTime.minutes).padStart(2, '0')}`);
  if (parsed.key) chips.push(`★ ${t.key}`);
  for (const tag of parsed.tags) chips.push(`#${tag}`);

  return (
    <form
      class={`quick-entry cat-${effective.category} sev-${effective.severity}${amending ? ' amending' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        post();
      }}
      onKeyDown={onKeyDown}
      aria-label={t.quickEntry}
    >
      {amending && (
        <div class="amend-banner" role="status">
          ✎ {t.amending} {i18n.shortTime(amending.recordedAt)} ({amending.author}) — <span class="amend-original">{amending.text}</span>{' '}
          <button type="button" class="small ghost" onClick={() => reset()}>
            {t.cancel} <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
          </button>
        </div>
      )}
      <div class="quick-row">
        <label class="field compact">
          <span>
            {t.filterCategory} <Kbd>Alt+C</Kbd>
          </span>
          <select value={effective.category} disabled={parsed.category !== undefined} onChange={(e) => setCategory(e.currentTarget.value as LogCategory)}>
            {LOG_CATEGORIES.map((c) => (
              <option value={c}>{enums.category[c]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>
            {t.severity} <Kbd>Alt+S</Kbd>
          </span>
          <select value={effective.severity} disabled={parsed.severity !== undefined} onChange={(e) => setSeverity(e.currentTarget.value as Severity)}>
            {SEVERITIES.map((s) => (
              <option value={s}>{enums.severity[s]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>
            {t.source} <Kbd>Alt+O</Kbd>
          </span>
          <input ref={sourceRef} value={parsed.source ?? source} disabled={parsed.source !== undefined} placeholder={t.sourcePlaceholder} maxLength={200} onInput={(e) => setSource(e.currentTarget.value)} />
        </label>
        <label class="field compact time">
          <span>
            {t.eventTime} <Kbd>Alt+T</Kbd>
          </span>
          <input
            ref={timeRef}
            value={parsed.eventTime ? `${String(parsed.eventTime.hours).padStart(2, '0')}:${String(parsed.eventTime.minutes).padStart(2, '0')}` : time}
            disabled={parsed.eventTime !== undefined}
            placeholder={t.eventTimePlaceholder}
            inputMode="numeric"
            maxLength={5}
            aria-invalid={badTime}
            onInput={(e) => setTime(e.currentTarget.value)}
          />
        </label>
        <label class="check compact" title="Alt+I">
          <input type="checkbox" checked={effective.key} onChange={(e) => setKey(e.currentTarget.checked)} />
          <span>
            ★ {t.key} <Kbd>Alt+I</Kbd>
          </span>
        </label>
      </div>
      <div class="quick-main">
        <input
          ref={inputRef}
          id="quick-entry"
          class="quick-input"
          data-testid="quick-entry"
          value={text}
          placeholder={t.quickPlaceholder}
          aria-label={t.quickEntry}
          aria-describedby="quick-hints"
          autoComplete="off"
          maxLength={10_000}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
        />
        <button type="submit" class="primary" disabled={!parsed.text}>
          {t.post} <Kbd>⏎</Kbd>
        </button>
      </div>
      <div class="quick-foot">
        {offer && <DecisionOffer incidentId={session.incidentId} prefill={offer} onDismiss={() => setOffer(null)} />}
        {chips.length > 0 && (
          <ul class="chips" aria-label={t.prefixesHelp}>
            {chips.map((c) => (
              <li>{c}</li>
            ))}
          </ul>
        )}
        {error && (
          <span class="error" role="alert">
            {error}
          </span>
        )}
        <p class="hints" id="quick-hints">
          <strong>{t.prefixesHelp} :</strong> <code>#alerte</code> <code>#action</code> <code>#decision</code> <code>#info</code> <code>#com</code> {t.hintCategory} · <code>!</code>{' '}
          <code>!!</code> <code>!!!</code> {t.hintSeverity} · <code>@DSI</code> {t.hintSource} · <code>~03:10</code> {t.hintTime} · <code>*</code> {t.hintKey} · <Kbd>↑</Kbd>{' '}
          {t.hintAmendLast}
        </p>
      </div>
    </form>
  );
}

function sameClock(time: { hours: number; minutes: number } | null, iso: string): boolean {
  const d = new Date(iso);
  return time !== null && time.hours === d.getHours() && time.minutes === d.getMinutes();
}

/** hh:mm in the user's time zone: the form the event-time field takes, whatever the day. */
function clockTime(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/**
 * The entry's verification state as a button: Enter unfolds the history; 1 to 4 set the state at
 * once; ↑ and ↓ move to the neighbouring entry's button (keyboard-only checking of a log).
 */
function VerificationButton({ state, changes, open, readOnly, onToggle, onSet }: { state: Verification; changes: number; open: boolean; readOnly: boolean; onToggle: () => void; onSet: (s: Verification) => void }) {
  const { t, enums } = useI18n();
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const n = Number(ev.key);
    if (!readOnly && Number.isInteger(n) && n >= 1 && n <= VERIFICATION_STATES.length) {
      ev.preventDefault();
      // Not to the window: there, typing in the log writes in the quick-entry line.
      ev.stopPropagation();
      onSet(VERIFICATION_STATES[n - 1]!);
      return;
    }
    if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      ev.preventDefault();
      const all = [...document.querySelectorAll<HTMLElement>('#log-list [data-verif]')];
      const i = all.indexOf(ev.currentTarget as HTMLElement);
      all[ev.key === 'ArrowUp' ? i - 1 : i + 1]?.focus();
    }
  };
  return (
    <button
      type="button"
      class={`badge verif verif-${state}`}
      data-verif={state}
      data-testid="verif-button"
      aria-expanded={open}
      title={`${t.verification} — ${t.verificationKeys}`}
      onClick={onToggle}
      onKeyDown={onKeyDown}
    >
      {enums.verification[state]}
      {changes > 0 && <span class="verif-count"> · {changes}</span>}
    </button>
  );
}

/** The unfolded history of an entry's verification, with the control to record a new state and a note. */
function VerificationPanel({ entry, state, history, readOnly, onSet }: { entry: LogEntry; state: Verification; history: VerificationRecord[]; readOnly: boolean; onSet: (s: Verification, note?: string) => void }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const [next, setNext] = useState<Verification>(state);
  const [note, setNote] = useState('');
  return (
    <div class="verif-panel" data-testid="verif-panel">
      <h4>{t.verificationHistory}</h4>
      {history.length === 0 ? (
        <p class="muted">
          {t.noVerificationHistory} ({enums.verification[entry.verification]})
        </p>
      ) : (
        <ol class="verif-history" data-testid="verif-history">
          {history.map((r) => (
            <li>
              <time dateTime={r.at}>{i18n.shortTime(r.at)}</time> <span class={`badge verif verif-${r.state}`}>{enums.verification[r.state]}</span> {t.by} {r.by}
              {r.note && <span class="verif-note"> — {r.note}</span>}
            </li>
          ))}
        </ol>
      )}
      {!readOnly && (
        <form
          class="verif-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            onSet(next, note);
            setNote('');
          }}
        >
          <label class="field compact">
            <span>{t.verification}</span>
            <select value={next} onChange={(ev) => setNext(ev.currentTarget.value as Verification)}>
              {VERIFICATION_STATES.map((v, n) => (
                <option value={v}>
                  {n + 1}. {enums.verification[v]}
                </option>
              ))}
            </select>
          </label>
          <label class="field compact grow">
            <span>{t.verificationNote}</span>
            <input value={note} maxLength={500} onInput={(ev) => setNote(ev.currentTarget.value)} />
          </label>
          <button type="submit" class="small primary">
            {t.verificationSave}
          </button>
        </form>
      )}
    </div>
  );
}
