import { useEffect, useRef, useState } from 'preact/hooks';
import type { IncidentState } from '../../../../shared/model/incident';
import { TASK_STATUSES } from '../../../../shared/model/tasks';
import { CategoryBadge, DecisionBadge, PriorityBadge, SeverityBadge, useI18n } from '../components/common/common';
import { DecisionHistory } from '../components/decisions/DecisionsView';
import { fromLocalInput, fullTime, toLocalInput } from './time';
import { useWords } from './words';

/**
 * "As it was at T": a slider across the incident's span and an exact date-time field. Moving
 * either shows the chosen moment at once and asks for the state after a short pause (a drag
 * would otherwise fire a replay per pixel).
 */
export function AsOfControl({ minMs, maxMs, valueMs, onChange }: { minMs: number; maxMs: number; valueMs: number | null; onChange: (ms: number | null) => void }) {
  const words = useWords();
  const i18n = useI18n();
  const [draft, setDraft] = useState<number | null>(valueMs);
  const timer = useRef(0);
  useEffect(() => setDraft(valueMs), [valueMs]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const choose = (ms: number, delay: number) => {
    const clamped = Math.min(maxMs, Math.max(minMs, ms));
    setDraft(clamped);
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => onChange(clamped), delay);
  };
  const shown = draft ?? maxMs;
  return (
    <div class="tl-asof" data-testid="tl-asof">
      <label class="field grow">
        <span>{words.asOf}</span>
        <input
          type="range"
          min={minMs}
          max={maxMs}
          step={1000}
          value={shown}
          aria-valuetext={draft === null ? words.live : fullTime(i18n, shown)}
          data-testid="tl-slider"
          onInput={(e) => choose(Number(e.currentTarget.value), 300)}
        />
      </label>
      <label class="field">
        <span>{words.momentExact}</span>
        <input
          type="datetime-local"
          step={1}
          min={toLocalInput(minMs)}
          max={toLocalInput(maxMs)}
          value={draft === null ? '' : toLocalInput(shown)}
          data-testid="tl-at"
          onChange={(e) => {
            const ms = fromLocalInput(e.currentTarget.value);
            if (ms !== null) choose(ms, 0);
          }}
        />
      </label>
    </div>
  );
}

/** The incident as it was at `at`, read only: log, board and decisions from the replayed state. */
export function PastState({ at, state, loading, error, onBack }: { at: number; state: IncidentState | null; loading: boolean; error: string | null; onBack: () => void }) {
  const words = useWords();
  const i18n = useI18n();
  const { t, enums } = i18n;
  const log = state ? [...state.log].sort((a, b) => (b.eventAt ?? b.recordedAt).localeCompare(a.eventAt ?? a.recordedAt)) : [];
  return (
    <section class="tl-past" aria-label={words.pastBanner(fullTime(i18n, at))} data-testid="past-state" data-at={new Date(at).toISOString()} data-loading={loading}>
      <div class="banner warn tl-past-banner" role="status" data-testid="past-banner">
        <strong>{words.pastBanner(fullTime(i18n, at))}</strong>
        {loading && <span class="muted"> · {words.replaying}</span>}
        <button type="button" class="small primary" data-testid="back-to-live" onClick={onBack}>
          {words.backToLive}
        </button>
      </div>
      {error && (
        <p class="banner error" role="alert">
          {error}
        </p>
      )}
      {state && (
        <div class="tl-past-grid">
          <section aria-labelledby="past-log-h">
            <h3 id="past-log-h">
              {words.pastLog} ({state.log.length})
            </h3>
            {log.length === 0 && <p class="muted">{words.nothing}</p>}
            <ol class="tl-past-list">
              {log.map((e) => (
                <li class="tl-past-entry" data-testid="past-entry" data-id={e.id}>
                  <div class="tl-past-meta">
                    <time dateTime={e.eventAt ?? e.recordedAt}>{fullTime(i18n, e.eventAt ?? e.recordedAt)}</time> · {e.author} <CategoryBadge category={e.category} /> <SeverityBadge severity={e.severity} />
                    {e.key && <span class="badge key-badge">{words.key}</span>}
                    {e.amends && <span class="badge amend-badge">{words.amends}</span>}
                  </div>
                  <p class="tl-text" data-testid="past-entry-text">
                    {e.text}
                  </p>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="past-tasks-h">
            <h3 id="past-tasks-h">
              {words.pastTasks} ({state.tasks.length})
            </h3>
            {state.tasks.length === 0 && <p class="muted">{words.nothing}</p>}
            {TASK_STATUSES.map((status) => {
              const list = state.tasks.filter((x) => x.status === status).sort((a, b) => a.order - b.order);
              if (list.length === 0) return null;
              return (
                <div class="tl-past-column" data-status={status}>
                  <h4>
                    {enums.status[status]} ({list.length})
                  </h4>
                  <ul class="tl-past-list">
                    {list.map((task) => (
                      <li class="tl-past-task" data-testid="past-task" data-status={task.status}>
                        <span class="tl-past-title">{task.title}</span> <PriorityBadge priority={task.priority} />
                        {task.assignee && (
                          <span class="muted">
                            {' '}
                            · {words.assignee} {task.assignee}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </section>
          <section aria-labelledby="past-dec-h">
            <h3 id="past-dec-h">
              {words.pastDecisions} ({state.decisions.length})
            </h3>
            {state.decisions.length === 0 && <p class="muted">{words.nothing}</p>}
            <ul class="tl-past-list">
              {state.decisions.map((d) => (
                <li class="tl-past-decision" data-testid="past-decision" data-status={d.status}>
                  <div>
                    <DecisionBadge status={d.status} /> <span class="tl-past-title">{d.title}</span>
                  </div>
                  {d.statement && <p class="tl-text">{d.statement}</p>}
                  <details>
                    <summary>
                      {t.history} ({d.history.length})
                    </summary>
                    <DecisionHistory decision={d} byId={new Map(state.decisions.map((x) => [x.id, x] as const))} />
                  </details>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </section>
  );
}
