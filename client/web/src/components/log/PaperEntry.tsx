import { useEffect, useRef, useState } from 'preact/hooks';
import { SEVERITIES, type Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, MAX_ENTRY_TEXT_CHARS, VERIFICATION_STATES, type LogCategory, type LogEntryInput, type Verification } from '../../../../../shared/model/log';
import type { OpenIncident } from '../../connection';
import type { Dict } from '../../i18n';
import { parseQuickEntry, parseTime, resolveEventTime } from '../../quickEntry';
import { Kbd, announce, useI18n } from '../common/common';

/** What is typed of one paper line, with the sheet's header (date and sheet number). */
interface PaperLine {
  date: string;
  sheet: string;
  time: string;
  writer: string;
  category: LogCategory;
  severity: Severity;
  verification: Verification;
  key: boolean;
  text: string;
}

type Patch = (change: Partial<PaperLine>) => void;
type InputRef = { current: HTMLInputElement | null };

/** A new line after a post: writer, sheet and date stay (a sheet is usually one writer's). */
const NEXT_LINE = { time: '', text: '', category: 'information', severity: 'low', verification: 'to_check', key: false } as const;
const FIRST_LINE: PaperLine = { ...NEXT_LINE, date: '', sheet: '', writer: '' };

/** The written time as an instant: on the sheet's date when there is one, else the latest such clock time. Null: no valid time. */
function paperEventAt(line: PaperLine, now: () => Date): string | null {
  const clock = parseTime(line.time.trim());
  if (!clock) return null;
  if (line.date) {
    const d = new Date(`${line.date}T00:00:00`);
    if (Number.isNaN(d.getTime())) return null;
    d.setHours(clock.hours, clock.minutes, 0, 0);
    return d.toISOString();
  }
  return resolveEventTime(clock, now()).toISOString();
}

/** The entry a complete line makes, or what is missing or wrong and the field to go to. */
function paperInput(line: PaperLine, now: () => Date, t: Dict): { input: LogEntryInput } | { error: string; field: 'time' | 'writer' | 'text' } {
  const at = paperEventAt(line, now);
  if (!at) return { error: t.paperTimeRequired, field: 'time' };
  if (!line.writer.trim()) return { error: t.paperWriterRequired, field: 'writer' };
  // The quick-entry prefixes work here too (#alerte, !!, *, @source), except the time: the paper's.
  const parsed = parseQuickEntry(line.text);
  if (!parsed.text) return { error: t.friction.paperTextRequired, field: 'text' };
  // Too long: refused with the length and the limit, the text left in the field (never cut).
  if (parsed.text.length > MAX_ENTRY_TEXT_CHARS) return { error: t.layout.tooLong(parsed.text.length, MAX_ENTRY_TEXT_CHARS), field: 'text' };
  const sheet = line.sheet.trim();
  return {
    input: {
      text: parsed.text,
      eventAt: at,
      category: parsed.category ?? line.category,
      severity: parsed.severity ?? line.severity,
      verification: line.verification,
      source: parsed.source ?? null,
      key: parsed.key ?? line.key,
      tags: parsed.tags,
      paper: { writer: line.writer.trim(), ...(sheet ? { sheet } : {}) },
    },
  };
}

/**
 * Posting a line: a complete one is appended and the next line starts at its time; otherwise the
 * error says what is missing and the focus goes there.
 */
function usePaperPost(open: OpenIncident, line: PaperLine, setLine: (update: (l: PaperLine) => PaperLine) => void, refs: { time: InputRef; writer: InputRef; text: InputRef }) {
  const { session, marks } = open;
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [posted, setPosted] = useState(0);
  const post = () => {
    const made = paperInput(line, () => session.now(), t);
    if ('error' in made) {
      setError(made.error);
      refs[made.field].current?.focus();
      return;
    }
    try {
      const entry = session.appendLog(made.input);
      marks.add('log', entry.id);
      setPosted((n) => n + 1);
      announce(t.paperPosted(posted + 1));
      setLine((l) => ({ ...l, ...NEXT_LINE }));
      setError(null);
      refs.time.current?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return { post, error, setError, posted };
}

/**
 * Paper transcription: the entries written by hand during an outage, typed in line after line
 * from the keyboard alone. The fields follow the paper log sheet of the crisis kit
 * (server/kit/kitPdf.ts): its header first (the date, which the paper leaves to the writer, then the sheet's number, just before the line), then one line's columns in
 * the sheet's order — time, source / writer, category, severity, verification, key, text — so
 * Tab goes where the eye goes on the paper. Enter posts the line when it is complete, else goes
 * to the first field still missing and says which; after a post, back to the time of the next
 * line. Writer, sheet and date stay from line to line (a sheet is usually one writer's). Each
 * entry keeps the written time as its `eventAt` and the writer in `paper`; its author is
 * whoever types it. The quick-entry prefixes in the text still override the columns.
 */
export function PaperEntry({ open, onDone }: { open: OpenIncident; onDone: () => void }) {
  const { t } = useI18n();
  const [line, setLine] = useState<PaperLine>(FIRST_LINE);
  const timeRef = useRef<HTMLInputElement>(null);
  const writerRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLInputElement>(null);
  const { post, error, setError, posted } = usePaperPost(open, line, setLine, { time: timeRef, writer: writerRef, text: textRef });
  const patch: Patch = (change) => setLine((l) => ({ ...l, ...change }));

  useEffect(() => {
    timeRef.current?.focus();
  }, []);

  /** Enter posts the line (post() says what is missing and goes there); Esc leaves the mode. */
  const keys = (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.isComposing && !(ev.target instanceof HTMLButtonElement)) {
      ev.preventDefault();
      post();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      onDone();
    }
  };

  return (
    <form
      class="quick-entry paper-entry"
      data-testid="paper-entry"
      aria-label={t.paperMode}
      onKeyDown={keys}
      onSubmit={(ev) => {
        ev.preventDefault();
        post();
      }}
    >
      <div class="amend-banner" role="status">
        ✍ {t.paperMode} — {t.paperModeHelp} {posted > 0 && <strong>{t.paperPosted(posted)}</strong>}{' '}
        <button type="button" class="small ghost" onClick={onDone}>
          {t.paperDone} <Kbd>Esc</Kbd>
        </button>
      </div>
      <PaperHeader line={line} patch={patch} />
      <PaperColumns line={line} patch={patch} timeRef={timeRef} writerRef={writerRef} />
      <PaperText
        line={line}
        textRef={textRef}
        onText={(text) => {
          patch({ text });
          setError(null);
        }}
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The sheet's header: its date (the paper leaves it to the writer) and its number. */
function PaperHeader({ line, patch }: { line: PaperLine; patch: Patch }) {
  const { t } = useI18n();
  return (
    <div class="quick-row" role="group" aria-label={t.friction.paperHeader}>
      <label class="field compact">
        <span>{t.paperDate}</span>
        <input type="date" data-testid="paper-date" value={line.date} onInput={(e) => patch({ date: e.currentTarget.value })} />
      </label>
      <label class="field compact">
        <span>{t.paperSheet}</span>
        <input data-testid="paper-sheet" value={line.sheet} maxLength={60} onInput={(e) => patch({ sheet: e.currentTarget.value })} />
      </label>
    </div>
  );
}

/** One line's columns before the text, in the paper sheet's order. */
function PaperColumns({ line, patch, timeRef, writerRef }: { line: PaperLine; patch: Patch; timeRef: InputRef; writerRef: InputRef }) {
  const { t, enums } = useI18n();
  return (
    <div class="quick-row" role="group" aria-label={t.friction.paperLine}>
      <label class="field compact time">
        <span>{t.paperTime}</span>
        <input
          ref={timeRef}
          data-testid="paper-time"
          value={line.time}
          placeholder="hh:mm"
          inputMode="numeric"
          maxLength={5}
          aria-invalid={line.time.trim() !== '' && !parseTime(line.time.trim())}
          onInput={(e) => patch({ time: e.currentTarget.value })}
        />
      </label>
      <label class="field compact">
        <span>{t.paperWriter}</span>
        <input ref={writerRef} data-testid="paper-writer" value={line.writer} maxLength={120} onInput={(e) => patch({ writer: e.currentTarget.value })} />
      </label>
      <label class="field compact">
        <span>{t.filterCategory}</span>
        <select data-testid="paper-category" value={line.category} onChange={(e) => patch({ category: e.currentTarget.value as LogCategory })}>
          {LOG_CATEGORIES.map((c) => (
            <option value={c}>{enums.category[c]}</option>
          ))}
        </select>
      </label>
      <label class="field compact">
        <span>{t.severity}</span>
        <select data-testid="paper-severity" value={line.severity} onChange={(e) => patch({ severity: e.currentTarget.value as Severity })}>
          {SEVERITIES.map((v) => (
            <option value={v}>{enums.severity[v]}</option>
          ))}
        </select>
      </label>
      <label class="field compact">
        <span>{t.filterVerification}</span>
        <select data-testid="paper-verification" value={line.verification} onChange={(e) => patch({ verification: e.currentTarget.value as Verification })}>
          {VERIFICATION_STATES.map((v) => (
            <option value={v}>{enums.verification[v]}</option>
          ))}
        </select>
      </label>
      <label class="check compact">
        <input type="checkbox" data-testid="paper-key" checked={line.key} onChange={(e) => patch({ key: e.currentTarget.checked })} />
        <span>★ {t.key}</span>
      </label>
    </div>
  );
}

/** The line's text and Post. */
function PaperText({ line, textRef, onText }: { line: PaperLine; textRef: InputRef; onText: (text: string) => void }) {
  const { t } = useI18n();
  return (
    <div class="quick-main">
      <input
        ref={textRef}
        class="quick-input"
        data-testid="paper-text"
        value={line.text}
        placeholder={t.paperText}
        aria-label={t.paperText}
        autoComplete="off"
        maxLength={10_000}
        onInput={(e) => onText(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={!line.text.trim()}>
        {t.post} <Kbd>⏎</Kbd>
      </button>
    </div>
  );
}
