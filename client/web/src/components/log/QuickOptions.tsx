import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import { LOG_CATEGORIES, LogCategory, MAX_ENTRY_TEXT_CHARS } from '../../../../../shared/model/log';
import type { ParsedEntry } from '../../quickEntry';
import { Kbd, useI18n } from '../common/common';

/** The entry line's sticky settings (category, severity, source, time, key), which prefixes override per entry. */
export interface QuickSettings {
  category: LogCategory;
  severity: Severity;
  source: string;
  time: string;
  key: boolean;
}

/** From this share of the limit on, the line shows how long the text is. */
const SHOW_LENGTH_FROM = 0.9;

/**
 * The quick-entry line's settings (category, severity, source, event time, key fact): set here,
 * by Alt shortcuts, or by the prefixes typed in the line (then shown here, locked). On a phone they
 * fold behind one button (the prefixes still work).
 */
export function QuickOptions({
  unfolded,
  parsed,
  effective,
  shownTime,
  badTime,
  settings,
  setSettings,
  sourceRef,
  timeRef,
}: {
  unfolded: boolean;
  parsed: ParsedEntry;
  effective: { category: LogCategory; severity: Severity; key: boolean };
  shownTime: string;
  badTime: boolean;
  settings: QuickSettings;
  setSettings: (s: QuickSettings) => void;
  sourceRef: { current: HTMLInputElement | null };
  timeRef: { current: HTMLInputElement | null };
}) {
  const { t, enums } = useI18n();
  return (
    <div class={`quick-options${unfolded ? ' unfolded' : ''}`}>
      <div class="quick-row" id="quick-row">
        <label class="field compact">
          <span>
            {t.filterCategory} <Kbd>Alt+C</Kbd>
          </span>
          <select value={effective.category} disabled={parsed.category !== undefined} onChange={(e) => setSettings({ ...settings, category: e.currentTarget.value as LogCategory })}>
            {LOG_CATEGORIES.map((c) => (
              <option value={c}>{enums.category[c]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>
            {t.severity} <Kbd>Alt+S</Kbd>
          </span>
          <select value={effective.severity} disabled={parsed.severity !== undefined} onChange={(e) => setSettings({ ...settings, severity: e.currentTarget.value as Severity })}>
            {SEVERITIES.map((s) => (
              <option value={s}>{enums.severity[s]}</option>
            ))}
          </select>
        </label>
        <label class="field compact">
          <span>
            {t.source} <Kbd>Alt+O</Kbd>
          </span>
          <input ref={sourceRef} value={parsed.source ?? settings.source} disabled={parsed.source !== undefined} placeholder={t.sourcePlaceholder} maxLength={200} onInput={(e) => setSettings({ ...settings, source: e.currentTarget.value })} />
        </label>
        <label class="field compact time">
          <span>
            {t.eventTime} <Kbd>Alt+T</Kbd>
          </span>
          <input
            ref={timeRef}
            value={shownTime}
            disabled={parsed.eventTime !== undefined}
            placeholder={t.eventTimePlaceholder}
            inputMode="numeric"
            maxLength={5}
            aria-invalid={badTime}
            onInput={(e) => setSettings({ ...settings, time: e.currentTarget.value })}
          />
        </label>
        <label class="check compact" title="Alt+I">
          <input type="checkbox" checked={effective.key} onChange={(e) => setSettings({ ...settings, key: e.currentTarget.checked })} />
          <span>
            ★ {t.key} <Kbd>Alt+I</Kbd>
          </span>
        </label>
      </div>
    </div>
  );
}

/** Under the line: the prefixes understood, the length near the limit, why Post waits, an error, and the grammar. */
export function QuickFoot({ chips, error, length, blocked }: { chips: string[]; error: string | null; length: number; blocked: string | null }) {
  const { t } = useI18n();
  const over = length > MAX_ENTRY_TEXT_CHARS;
  return (
    <div class="quick-foot">
      {chips.length > 0 && (
        <ul class="chips" aria-label={t.prefixesHelp}>
          {chips.map((c) => (
            <li>{c}</li>
          ))}
        </ul>
      )}
      <span id="quick-length" class={`quick-length${over ? ' over' : ''}`} data-testid="quick-length" role="status" data-length={length}>
        {length >= MAX_ENTRY_TEXT_CHARS * SHOW_LENGTH_FROM ? (over ? t.layout.tooLong(length, MAX_ENTRY_TEXT_CHARS) : t.layout.charCount(length, MAX_ENTRY_TEXT_CHARS)) : ''}
      </span>
      <span id="quick-blocked" class="post-reason" data-testid="post-reason">
        {blocked ?? ''}
      </span>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
      <p class="hints" id="quick-hints">
        <strong>{t.prefixesHelp}{t.colon}</strong> <code>#alerte</code> <code>#action</code> <code>#decision</code> <code>#info</code> <code>#com</code> {t.hintCategory} · <code>!</code>{' '}
        <code>!!</code> <code>!!!</code> {t.hintSeverity} · <code>@DSI</code> {t.hintSource} · <code>~03:10</code> {t.hintTime} · <code>*</code> {t.hintKey} · <Kbd>↑</Kbd>{' '}
        {t.hintAmendLast}
      </p>
    </div>
  );
}
