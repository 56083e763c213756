import { useEffect, useRef, useState } from 'preact/hooks';
import type { Handover } from '../../../../../shared/protocol/handover';
import { formatInt } from '../../../../../shared/i18n/numbers';
import { getHandover, recordDeparture } from '../../handoverApi';
import { Modal } from '../common/Modal';
import { announce, useI18n } from '../common/common';

/** ISO → the value of a datetime-local input, in the browser's time zone. */
function localInput(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * "Since I left": the shift handover of GET /api/incidents/:id/handover, grouped as the server
 * gives it (new entries, verification changes, changed tasks with mine first, decisions, open
 * alerts). The since-time starts at my last recorded departure and can be changed.
 */
export function HandoverPanel({ incidentId, onClose, onReveal }: { incidentId: string; onClose: () => void; onReveal: (entryId: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [since, setSince] = useState<string | null>(null);
  const [data, setData] = useState<Handover | null>(null);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  const load = (from: string | null) => {
    setError(null);
    getHandover(incidentId, from)
      .then((h) => {
        setData(h);
        setSince(h.since);
      })
      .catch((err: unknown) => setError(`${t.handoverError}${t.colon} ${err instanceof Error ? err.message : String(err)}`));
  };
  useEffect(() => {
    load(null);
    first.current?.focus();
    // Once, when opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId]);

  const source = data ? (data.sinceSource === 'lastVisit' ? t.handoverSourceLastVisit : data.sinceSource === 'query' ? t.handoverSourceQuery : t.handoverSourceOpened) : '';

  return (
    <Modal class="handover" labelledBy="handover-title" testId="handover-panel" onClose={onClose}>
        <h2 id="handover-title">{t.handoverTitle}</h2>
        <form
          class="row handover-since"
          onSubmit={(e) => {
            e.preventDefault();
            if (since) load(since);
          }}
        >
          <label class="field">
            <span>
              {t.handoverSince} {data && <small class="muted">({source})</small>}
            </span>
            <input
              ref={first}
              type="datetime-local"
              data-testid="handover-since"
              value={since ? localInput(since) : ''}
              onChange={(e) => {
                const d = new Date(e.currentTarget.value);
                if (!Number.isNaN(d.getTime())) setSince(d.toISOString());
              }}
            />
          </label>
          <button type="submit" class="small">
            {t.handoverRefresh}
          </button>
        </form>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {data && <HandoverSections data={data} onReveal={onReveal} />}
        <div class="panel-actions">
          <button
            type="button"
            class="ghost"
            onClick={() =>
              recordDeparture(incidentId)
                .then(() => announce(t.handoverLeft))
                .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
            }
          >
            {t.handoverLeaving}
          </button>
          <button type="button" class="primary" onClick={onClose}>
            {t.close}
          </button>
        </div>
    </Modal>
  );
}

/** What happened since the chosen time, group by group (each empty one says so). */
function HandoverSections({ data, onReveal }: { data: Handover; onReveal: (entryId: string) => void }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const nothing = <p class="muted">{t.handoverNothing}</p>;
  return (
    <>
      <section data-testid="handover-entries">
        <h3>
          {t.handoverEntries} ({formatInt(data.entryCount, i18n.lang)})
        </h3>
        {data.entryCount > data.entries.length && <p class="muted" data-testid="handover-entries-latest">{t.handoverLatestListed(data.entries.length)}</p>}
        {data.entries.length === 0 ? nothing : (
          <ul class="handover-list">
            {data.entries.map(({ entry, verification }) => (
              <li>
                <button type="button" class="link-button" onClick={() => onReveal(entry.id)}>
                  {i18n.shortTime(entry.recordedAt)}
                </button>{' '}
                <span class={`badge cat-${entry.category}`}>{enums.category[entry.category]}</span> <span class={`badge verif verif-${verification}`}>{enums.verification[verification]}</span>{' '}
                {entry.key && '★ '}
                {entry.text} <span class="muted">— {entry.author}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section data-testid="handover-verifications">
        <h3>
          {t.handoverVerifications} ({formatInt(data.verificationCount, i18n.lang)})
        </h3>
        {data.verificationCount > data.verifications.length && <p class="muted" data-testid="handover-verifications-latest">{t.handoverLatestListed(data.verifications.length)}</p>}
        {data.verifications.length === 0 ? nothing : (
          <ul class="handover-list">
            {data.verifications.map((v) => (
              <li>
                {i18n.shortTime(v.at)} <span class={`badge verif verif-${v.state}`}>{enums.verification[v.state]}</span> {v.text} <span class="muted">— {v.by}{v.note ? `${t.colon} ${v.note}` : ''}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section data-testid="handover-tasks">
        <h3>
          {t.handoverTasks} ({data.tasks.length})
        </h3>
        {data.tasks.length === 0 ? nothing : (
          <ul class="handover-list">
            {data.tasks.map(({ task, assignedToMe }) => (
              <li class={assignedToMe ? 'mine' : ''}>
                {assignedToMe && <span class="badge key-badge">{t.handoverMine}</span>} {task.title} <span class="muted">— {enums.status[task.status]}{task.assignee ? `, ${task.assignee}` : ''}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section data-testid="handover-decisions">
        <h3>
          {t.handoverDecisions} ({data.decisions.length})
        </h3>
        {data.decisions.length === 0 ? nothing : (
          <ul class="handover-list">
            {data.decisions.map(({ decision }) => (
              <li>
                {decision.title} <span class="muted">— {enums.decision[decision.status]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section data-testid="handover-alerts">
        <h3>
          {t.handoverAlerts} ({formatInt(data.openAlertCount, i18n.lang)})
        </h3>
        {data.openAlertCount > data.openAlerts.length && <p class="muted" data-testid="handover-alerts-latest">{t.handoverAlertsLatest(data.openAlerts.length)}</p>}
        {data.openAlerts.length === 0 ? nothing : (
          <ul class="handover-list">
            {data.openAlerts.map(({ entry, verification, isNew }) => (
              <li>
                <button type="button" class="link-button" onClick={() => onReveal(entry.id)}>
                  {i18n.shortTime(entry.recordedAt)}
                </button>{' '}
                {isNew && <span class="badge cat-alert">{t.handoverNew}</span>} <span class={`badge verif verif-${verification}`}>{enums.verification[verification]}</span> {entry.text}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
