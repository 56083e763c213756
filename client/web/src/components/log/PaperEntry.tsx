import { useEffect, useRef, useState } from 'preact/hooks';
import { SEVERITIES, type Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, MAX_ENTRY_TEXT_CHARS, VERIFICATION_STATES, type LogCategory, type LogEntryInput, type Verification } from '../../../../../shared/model/log';
import type { OpenIncident } from '../../connection';
import { parseQuickEntry, parseTime, resolveEventTime } from '../../quickEntry';
import { Kbd, announce, useI18n } from '../common/common';

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
  const { session, marks } = open;
  const { t, enums } = useI18n();
  const [date, setDate] = useState('');
  const [category, setCategory] = useState<LogCategory>('information');
  const [severity, setSeverity] = useState<Severity>('low');
  const [verification, setVerification] = useState<Verification>('to_check');
  const [key, setKey] = useState(false);
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
      setError(t.friction.paperTextRequired);
      textRef.current?.focus();
      return;
    }
    // Too long: refused with the length and the limit, the text left in the field (never cut).
    if (parsed.text.length > MAX_ENTRY_TEXT_CHARS) {
      setError(t.layout.tooLong(parsed.text.length, MAX_ENTRY_TEXT_CHARS));
      textRef.current?.focus();
      return;
    }
    const input: LogEntryInput = {
      text: parsed.text,
      eventAt: at,
      category: parsed.category ?? category,
      severity: parsed.severity ?? severity,
      verification,
      source: parsed.source ?? null,
      key: parsed.key ?? key,
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
      setCategory('information');
      setSeverity('low');
      setVerification('to_check');
      setKey(false);
      setError(null);
      timeRef.current?.focus();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

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
      <div class="quick-row" role="group" aria-label={t.friction.paperHeader}>
        <label class="field compact">
          <span>{t.paperDate}</span>
          <input type="date" data-testid="paper-date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="field compact">
          <span>{t.paperSheet}</span>
          <input ref={sheetRef} data-testid="paper-sheet" value={sheet} maxLength={60} onInput={(e) => setSheet(e.currentTarget.value)} />
        </label>
      </div>
      <div class="quick-row" role="group" aria-label={t.friction.paperLine}>
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
          />
        </label>
        <label class="field compact">
          <span>{t.paperWriter}</span>
          <input ref={writerRef} data-testid="paper-writer" value={writer} maxLength={120} onInput={(e) => setWriter(e.currentTarget.value)} />
        </label>
        <label class="field compact">
          <span>{t.filterCategory}</span>
          <select data-testid="paper-category" value={category} onChange={(e) => setCategory(e.currentTarget.value as LogCategory)}>
            {LOG_CATEGORIES.map((c) => (
              <option value={c}>{enums.category[c]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>{t.severity}</span>
          <select data-testid="paper-severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity)}>
            {SEVERITIES.map((v) => (
              <option value={v}>{enums.severity[v]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>{t.filterVerification}</span>
          <select data-testid="paper-verification" value={verification} onChange={(e) => setVerification(e.currentTarget.value as Verification)}>
            {VERIFICATION_STATES.map((v) => (
              <option value={v}>{enums.verification[v]}</option>
            ))}
          </select>
        </label>
        <label class="check compact">
          <input type="checkbox" data-testid="paper-key" checked={key} onChange={(e) => setKey(e.currentTarget.checked)} />
          <span>★ {t.key}</span>
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
