import { useEffect, useRef, useState } from 'preact/hooks';
import type { LogEntryInput } from '../../../../../shared/model/log';
import type { OpenIncident } from '../../connection';
import { parseQuickEntry, parseTime, resolveEventTime } from '../../quickEntry';
import { Kbd, announce, useI18n } from '../common/common';

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

  const eventAt = (): string | null => {
    const clock = parseTime(time.trim());
    if (!clock) return null;
    if (date) {
      const d = new Date(`${date}T00:00:00`);
      if (Number.isNaN(d.getTime())) return null;
      d.setHours(clock.hours, clock.minutes, 0, 0);
      return d.toISOString();
    }
    return resolveEventTime(clock, session.now()).toISOString();
  };

  const post = () => {
    const at = eventAt();
    if (!at) {
      setError(t.paperTimeRequired);
      timeRef.current?.focus();
      return;
    }
    if (!writer.trim()) {
      setError(t.paperWriterRequired);
      writerRef.current?.focus();
      return;
    }
    // The quick-entry prefixes work here too (#alerte, !!, *, @source), except the time: the paper's.
    const parsed = parseQuickEntry(text);
    if (!parsed.text) {
      textRef.current?.focus();
      return;
    }
    const input: LogEntryInput = {
      text: parsed.text,
      eventAt: at,
      category: parsed.category ?? 'information',
      severity: parsed.severity ?? 'low',
      source: parsed.source ?? null,
      key: parsed.key ?? false,
      tags: parsed.tags,
      paper: { writer: writer.trim(), ...(sheet.trim() ? { sheet: sheet.trim() } : {}) },
    };
    try {
      const entry = session.appendLog(input);
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
  const enterTo = (next: () => void) => (ev: KeyboardEvent) => {
    if (ev.key === 'Enter' && !ev.isComposing) {
      ev.preventDefault();
      next();
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
