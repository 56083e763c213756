import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogEntryInput } from '../../../../shared/model/log';
import type { OpenIncident } from '../connection';
import { parseQuickEntry, parseTime, resolveEventTime } from '../quickEntry';
import { Kbd, announce, useI18n } from './common';

/** The written time as an ISO instant: on the date given, else the latest such time up to now; null when unreadable. */
function paperEventAt(date: string, time: string, now: Date): string | null {
  const clock = parseTime(time.trim());
  if (!clock) return null;
  if (date) {
    const d = new Date(`${date}T00:00:00`);
    if (Number.isNaN(d.getTime())) return null;
    d.setHours(clock.hours, clock.minutes, 0, 0);
    return d.toISOString();
  }
  return resolveEventTime(clock, now).toISOString();
}

/** The log entry of one paper line: the quick-entry prefixes, the written time, the writer and sheet. */
function paperEntryInput(parsed: ReturnType<typeof parseQuickEntry>, at: string, writer: string, sheet: string): LogEntryInput {
  return {
    text: parsed.text,
    eventAt: at,
    category: parsed.category ?? 'information',
    severity: parsed.severity ?? 'low',
    source: parsed.source ?? null,
    key: parsed.key ?? false,
    tags: parsed.tags,
    paper: { writer: writer.trim(), ...(sheet.trim() ? { sheet: sheet.trim() } : {}) },
  };
}

/** A key handler: Enter (not while composing) calls `next`, Escape calls `done`. */
function enterOrEscape(next: () => void, done: () => void) {
  return (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.isComposing) {
      ev.preventDefault();
      next();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      done();
    }
  };
}

function PaperBanner({ posted, onDone }: { posted: number; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div class="amend-banner" role="status">
      ✍ {t.paperMode} — {t.paperModeHelp} {posted > 0 && <strong>{t.paperPosted(posted)}</strong>}{' '}
      <button type="button" class="small ghost" onClick={onDone}>
        {t.paperDone} <Kbd>Esc</Kbd>
      </button>
    </div>
  );
}

/**
 * Paper transcription: the entries written by hand during an outage, typed in line after line
 * from the keyboard alone. Time, writer, text; Enter in a field goes to the next one, Enter in
 * the text posts the line and comes back to the time of the next one. Writer, sheet and date
 * stay from line to line (a sheet is usually one writer's). Each entry keeps the written time
 * as its `eventAt` and the writer in `paper`; its author is whoever types it.
 */
export function PaperEntry({ open, onDone }: { open: OpenIncident; onDone: () => void }) {
  const { session, marks } = open;
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [writer, setWriter] = useState('');
  const [sheet, setSheet] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [posted, setPosted] = useState(0);
  const timeRef = useRef<HTMLInputElement>(null);
  const writerRef = useRef<HTMLInputElement>(null);
  const sheetRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    timeRef.current?.focus();
  }, []);

  /** A line that cannot be posted yet: say why, and go to the field to complete. */
  const refuse = (message: string, field: { current: HTMLInputElement | null }) => {
    setError(message);
    field.current?.focus();
  };
  const post = () => {
    const at = paperEventAt(date, time, session.now());
    if (!at) return refuse(t.paperTimeRequired, timeRef);
    if (!writer.trim()) return refuse(t.paperWriterRequired, writerRef);
    // The quick-entry prefixes work here too (#alerte, !!, *, @source), except the time: the paper's.
    const parsed = parseQuickEntry(text);
    if (!parsed.text) {
      textRef.current?.focus();
      return;
    }
    try {
      const entry = session.appendLog(paperEntryInput(parsed, at, writer, sheet));
      marks.add('log', entry.id);
      setPosted((n) => n + 1);
      announce(t.paperPosted(posted + 1));
      setText('');
      setTime('');
      setError(null);
      timeRef.current?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  /** Enter moves on: time → writer (or text when a writer is set) → sheet → text → post. */
  const enterTo = (next: () => void) => enterOrEscape(next, onDone);

  return (
    <form
      class="quick-entry paper-entry"
      data-testid="paper-entry"
      aria-label={t.paperMode}
      onSubmit={(ev) => {
        ev.preventDefault();
        post();
      }}
    >
      <PaperBanner posted={posted} onDone={onDone} />
      <div class="quick-row">
        <label class="field compact">
          <span>{t.paperDate}</span>
          <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} onKeyDown={enterTo(() => timeRef.current?.focus())} />
        </label>
        <label class="field compact time">
          <span>{t.paperTime}</span>
          <input
            ref={timeRef}
            data-testid="paper-time"
            value={time}
            placeholder="hh:mm"
            inputMode="numeric"
            maxLength={5}
            aria-invalid={time.trim() !== '' && !parseTime(time.trim())}
            onInput={(e) => setTime(e.currentTarget.value)}
            onKeyDown={enterTo(() => (writer.trim() ? textRef : writerRef).current?.focus())}
          />
        </label>
        <label class="field compact">
          <span>{t.paperWriter}</span>
          <input ref={writerRef} data-testid="paper-writer" value={writer} maxLength={120} onInput={(e) => setWriter(e.currentTarget.value)} onKeyDown={enterTo(() => sheetRef.current?.focus())} />
        </label>
        <label class="field compact">
          <span>{t.paperSheet}</span>
          <input ref={sheetRef} data-testid="paper-sheet" value={sheet} maxLength={60} onInput={(e) => setSheet(e.currentTarget.value)} onKeyDown={enterTo(() => textRef.current?.focus())} />
        </label>
      </div>
      <div class="quick-main">
        <input
          ref={textRef}
          class="quick-input"
          data-testid="paper-text"
          value={text}
          placeholder={t.paperText}
          aria-label={t.paperText}
          autoComplete="off"
          maxLength={10_000}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={enterTo(post)}
        />
        <button type="submit" class="primary" disabled={!text.trim()}>
          {t.post} <Kbd>⏎</Kbd>
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
