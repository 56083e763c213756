import { useState } from 'preact/hooks';
import { LogEntry, VERIFICATION_STATES, Verification } from '../../../../../shared/model/log';
import type { VerificationRecord } from '../../../../../shared/model/verification';
import { useI18n } from '../common/common';

/**
 * The entry's verification state as a button: Enter unfolds the history; 1 to 4 set the state at
 * once; ↑ and ↓ move to the neighbouring entry's button (keyboard-only checking of a log).
 */
export function VerificationButton({ state, changes, open, readOnly, onToggle, onSet }: { state: Verification; changes: number; open: boolean; readOnly: boolean; onToggle: () => void; onSet: (s: Verification) => void }) {
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
export function VerificationPanel({ entry, state, history, readOnly, onSet }: { entry: LogEntry; state: Verification; history: VerificationRecord[]; readOnly: boolean; onSet: (s: Verification, note?: string) => void }) {
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
