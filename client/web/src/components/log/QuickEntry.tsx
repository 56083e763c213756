import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, LogCategory, LogEntry, LogEntryInput, MAX_ENTRY_TEXT_CHARS } from '../../../../../shared/model/log';
import type { OpenIncident } from '../../connection';
import type { I18n } from '../../i18n';
import { ParsedEntry, parseQuickEntry, parseTime, resolveEventTime } from '../../quickEntry';
import { Kbd, useI18n } from '../common/common';
import type { LogIndex } from './logIndex';
import { QuickFoot, QuickOptions, type QuickSettings } from './QuickOptions';
import { DecisionOffer } from './DecisionOffer';
import { type DecisionPrefill, prefillFromEntry } from '../../decisionPrefill';
import { ReplyChip } from './InjectParts';

function cycle<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length]!;
}

function hhmm(time: { hours: number; minutes: number }): string {
  return `${String(time.hours).padStart(2, '0')}:${String(time.minutes).padStart(2, '0')}`;
}

function sameClock(time: { hours: number; minutes: number } | null, iso: string): boolean {
  const d = new Date(iso);
  return time !== null && time.hours === d.getHours() && time.minutes === d.getMinutes();
}

/** hh:mm in the user's time zone: the form the event-time field takes, whatever the day. */
function clockTime(iso: string): string {
  const d = new Date(iso);
  return hhmm({ hours: d.getHours(), minutes: d.getMinutes() });
}

/** What the prefixes typed so far set, as chips under the line. */
function prefixChips(parsed: ParsedEntry, i18n: I18n): string[] {
  const { t, enums } = i18n;
  const chips: string[] = [];
  if (parsed.category) chips.push(`${t.filterCategory}${t.colon} ${enums.category[parsed.category]}`);
  if (parsed.severity) chips.push(`${t.severity}${t.colon} ${enums.severity[parsed.severity]}`);
  if (parsed.source) chips.push(`${t.source}${t.colon} ${parsed.source}`);
  if (parsed.eventTime) chips.push(`${t.eventTime}${t.colon} ${hhmm(parsed.eventTime)}`);
  if (parsed.key) chips.push(`★ ${t.key}`);
  for (const tag of parsed.tags) chips.push(`#${tag}`);
  return chips;
}

/**
 * Why Post is disabled, or null when it is not. Nothing typed: a quiet reason (the title); prefixes
 * only or too long: said under the line as well, since the person is waiting for the entry to go.
 */
export function postBlocked(raw: string, parsed: ParsedEntry, i18n: I18n): { reason: string; shown: boolean } | null {
  const w = i18n.t.layout;
  if (!parsed.text) return raw.trim() ? { reason: w.postPrefixesOnly, shown: true } : { reason: w.postNeedsText, shown: false };
  if (parsed.text.length > MAX_ENTRY_TEXT_CHARS) return { reason: w.postTooLong, shown: false };
  return null;
}

/**
 * Alt+C and Alt+S cycle the category and severity, Alt+I toggles the key fact (the new settings are
 * returned); Alt+O and Alt+T move to the source and time fields (null: nothing to set);
 * undefined: not a shortcut of the line.
 */
function altSetting(
  code: string,
  set: QuickSettings,
  effective: { category: LogCategory; severity: Severity; key: boolean },
  sourceRef: { current: HTMLInputElement | null },
  timeRef: { current: HTMLInputElement | null },
): QuickSettings | null | undefined {
  if (code === 'KeyC') return { ...set, category: cycle(LOG_CATEGORIES, effective.category) };
  if (code === 'KeyS') return { ...set, severity: cycle(SEVERITIES, effective.severity) };
  if (code === 'KeyI') return { ...set, key: !effective.key };
  if (code === 'KeyO') sourceRef.current?.focus();
  else if (code === 'KeyT') timeRef.current?.focus();
  else return undefined;
  return null;
}

/** "Amending 10:42 (Anne): <text>" above the line, with the way out. */
function AmendBanner({ amending, onCancel }: { amending: LogEntry; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div class="amend-banner" role="status">
      ✎ {t.amending} {i18n.shortTime(amending.recordedAt)} ({amending.author}) — <span class="amend-original">{amending.text}</span>{' '}
      <button type="button" class="small ghost" onClick={onCancel}>
        {t.cancel} <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
      </button>
    </div>
  );
}

const DEFAULTS: QuickSettings = { category: 'information', severity: 'low', source: '', time: '', key: false };

/**
 * Ready to type on arrival, unless the user has already gone elsewhere: the effect runs after
 * the first paint, and taking focus then would swallow what they type there (leaving the paper
 * mode with Esc, then Alt+V and 2 at once, sent the "2" into this line). An amendment starts with
 * the original's text and settings, before the banner is painted, so that what is typed next is
 * never overwritten by the original.
 */
function useLineFocus(inputRef: { current: HTMLInputElement | null }, amending: LogEntry | null, setText: (s: string) => void, setSettings: (s: QuickSettings) => void): void {
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) inputRef.current?.focus();
  }, [inputRef]);
  useLayoutEffect(() => {
    if (!amending) return;
    setText(amending.text);
    setSettings({ category: amending.category, severity: amending.severity, source: amending.source ?? '', key: amending.key, time: amending.eventAt ? clockTime(amending.eventAt) : '' });
    inputRef.current?.focus();
    // Only when another entry is being amended.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [amending]);
}

/**
 * The entry the line describes. An amendment that keeps the original's clock time keeps its exact
 * event time (maybe days ago); a reply names the entry it answers.
 */
function entryInput(parsed: ParsedEntry, effective: Effective, amending: LogEntry | null, replying: LogEntry | null, now: Date): LogEntryInput {
  return {
    ...(replying && !amending ? { replyTo: replying.id } : {}),
    text: parsed.text,
    category: effective.category,
    severity: effective.severity,
    source: effective.source,
    eventAt: amending?.eventAt && sameClock(effective.time, amending.eventAt) ? amending.eventAt : effective.time ? resolveEventTime(effective.time, now).toISOString() : null,
    key: effective.key,
    tags: parsed.tags,
  };
}

interface Effective {
  category: LogCategory;
  severity: Severity;
  source: string | null;
  time: { hours: number; minutes: number } | null;
  key: boolean;
}

/** What the line will post: the prefixes typed override the settings. */
function effectiveOf(parsed: ParsedEntry, set: QuickSettings): Effective {
  return {
    category: parsed.category ?? set.category,
    severity: parsed.severity ?? set.severity,
    source: parsed.source ?? (set.source.trim() || null),
    time: parsed.eventTime ?? (set.time.trim() ? parseTime(set.time.trim()) : null),
    key: parsed.key ?? set.key,
  };
}

/**
 * An entry the server refused comes back into the line (unless something else is being
 * typed there; the room's notice has it to copy then), so nothing typed is lost.
 */
function useRefusedTextBack(session: OpenIncident['session'], text: string, setText: (s: string) => void, setError: (s: string) => void): void {
  const { t } = useI18n();
  const textNow = useRef(text);
  textNow.current = text;
  useEffect(
    () =>
      session.onRejected((_e, edit) => {
        const back = edit.entries[0]?.text;
        if (back && !textNow.current.trim()) {
          setText(back);
          setError(t.refusedTextBack);
        }
      }),
    [session, t, setText, setError],
  );
}

interface QuickEntryProps {
  open: OpenIncident;
  me: string;
  index: LogIndex;
  amending: LogEntry | null;
  setAmending: (e: LogEntry | null) => void;
  /** The entry the next post answers (its `replyTo`); null: a plain entry. */
  replying: LogEntry | null;
  setReplying: (e: LogEntry | null) => void;
  inputRef: { current: HTMLInputElement | null };
}

/** The line that is always ready: type, Enter, done. Prefixes and Alt shortcuts set the rest. */
export function QuickEntry({ open, me, index, amending, setAmending, replying, setReplying, inputRef }: QuickEntryProps) {
  const { session, marks } = open;
  const i18n = useI18n();
  const t = i18n.t;
  const [text, setText] = useState('');
  const [set, setSettings] = useState<QuickSettings>(DEFAULTS);
  const [error, setError] = useState<string | null>(null);
  const [optionsOpen, setOptionsOpen] = useState(false);
  /** A `#decision` entry just posted: offered to the decisions register. */
  const [offer, setOffer] = useState<DecisionPrefill | null>(null);
  const [sourceRef, timeRef] = [useRef<HTMLInputElement>(null), useRef<HTMLInputElement>(null)];
  useRefusedTextBack(session, text, setText, setError);

  const parsed = parseQuickEntry(text);
  const effective = effectiveOf(parsed, set);
  const badTime = parsed.badTime || (set.time.trim() !== '' && !parseTime(set.time.trim()));
  const tooLong = parsed.text.length > MAX_ENTRY_TEXT_CHARS;
  const blocked = postBlocked(text, parsed, i18n);

  useLineFocus(inputRef, amending, setText, setSettings);

  const reset = () => {
    setText('');
    setSettings(DEFAULTS);
    setError(null);
    setAmending(null);
    setReplying(null);
  };

  const post = () => {
    if (!parsed.text) return;
    // Refused here, and the text left in the line, never cut: the length and the limit are
    // already said under it (QuickFoot).
    if (tooLong) return;
    if (badTime) {
      setError(t.invalidTime);
      return;
    }
    const input = entryInput(parsed, effective, amending, replying, session.now());
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
      const next = altSetting(ev.code, set, effective, sourceRef, timeRef);
      if (next === undefined) return;
      if (next) setSettings(next);
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

  const shownTime = parsed.eventTime ? hhmm(parsed.eventTime) : set.time;
  return (
    <form
      class={`quick-entry cat-${effective.category} sev-${effective.severity}${amending ? ' amending' : ''}${replying ? ' replying' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        post();
      }}
      onKeyDown={onKeyDown}
      aria-label={t.quickEntry}
    >
      {amending && <AmendBanner amending={amending} onCancel={reset} />}
      {replying && !amending && (
        <ReplyChip
          entry={replying}
          onCancel={() => {
            setReplying(null);
            inputRef.current?.focus();
          }}
        />
      )}
      <QuickOptions unfolded={optionsOpen} parsed={parsed} effective={effective} shownTime={shownTime} badTime={badTime} settings={set} setSettings={setSettings} sourceRef={sourceRef} timeRef={timeRef} />
      <QuickLine
        inputRef={inputRef}
        text={text}
        tooLong={tooLong}
        blocked={blocked?.reason ?? null}
        optionsOpen={optionsOpen}
        onToggleOptions={() => setOptionsOpen(!optionsOpen)}
        onText={(value) => {
          setText(value);
          setError(null);
        }}
      />
      {offer && <DecisionOffer incidentId={session.incidentId} prefill={offer} onDismiss={() => setOffer(null)} />}
      <QuickFoot chips={prefixChips(parsed, i18n)} error={error} length={parsed.text.length} blocked={blocked?.shown ? blocked.reason : null} />
    </form>
  );
}

/** The text field and Post; a disabled Post says why (its title; the foot says it too once there is something to say). */
function QuickLine({
  inputRef,
  text,
  tooLong,
  blocked,
  optionsOpen,
  onToggleOptions,
  onText,
}: {
  inputRef: { current: HTMLInputElement | null };
  text: string;
  tooLong: boolean;
  blocked: string | null;
  optionsOpen: boolean;
  onToggleOptions: () => void;
  onText: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div class="quick-main">
      <button type="button" class="options-toggle ghost" data-testid="entry-options" aria-expanded={optionsOpen} aria-controls="quick-row" title={t.layout.entryOptions} onClick={onToggleOptions}>
        ⚙<span class="sr-only"> {t.layout.entryOptions}</span>
      </button>
      <input
        ref={inputRef}
        id="quick-entry"
        class="quick-input"
        data-testid="quick-entry"
        value={text}
        placeholder={t.quickPlaceholder}
        aria-label={t.quickEntry}
        aria-describedby="quick-hints quick-length quick-blocked"
        aria-invalid={tooLong}
        autoComplete="off"
        enterKeyHint="send"
        onInput={(e) => onText(e.currentTarget.value)}
      />
      <button type="submit" class="primary post-button" data-testid="post-button" disabled={blocked !== null} title={blocked ?? undefined}>
        {t.post} <Kbd>⏎</Kbd>
      </button>
    </div>
  );
}
