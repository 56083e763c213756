import { useEffect, useMemo, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import { DRAFT_KINDS, type DraftKind, type RegulatoryDraft, missingFields } from '../../../../../shared/model/regulatory';
import { prefillDraft } from '../../../../../shared/model/regulatoryPrefill';
import { clockOfDraft, lateAfter } from '../../../../../shared/timeline/deadlines';
import type { ExerciseClock } from '../../../../../shared/exercise/exerciseState';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import type { OpenIncident } from '../../connection';
import { WaitingBadge, useI18n, useNow } from '../common/common';
import { ClockRow, clocksOf, useDrafts } from './clocks';
import { useExerciseClock } from './exerciseClock';
import { DraftEditor } from './DraftEditor';
import { fromLocalInput, toLocalInput } from './localInput';

/**
 * Notifications owed to authorities: the clocks counting down, the director's regulatory facts
 * (awareness times, NIS2, health sector), the drafts with their missing mandatory fields, the
 * editor, exports and "mark as sent" (then sealed, read only).
 */
export function RegulatoryView({ open, meta, readOnly, director }: { open: OpenIncident; meta: IncidentMeta | null; readOnly: boolean; director: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const r = t.reg;
  const { session } = open;
  const drafts = useDrafts(session);
  const exercise = useExerciseClock(meta);
  const clocks = useMemo(() => clocksOf(meta, drafts, i18n.lang, exercise), [meta, drafts, i18n.lang, exercise]);
  const now = useNow(1_000);
  const [editing, setEditing] = useState<string | null>(null);
  const current = editing ? (drafts.find((d) => d.id === editing) ?? null) : null;
  return (
    <div class="page-panel regulatory-view" aria-label={r.label}>
      <section class="card-box" aria-labelledby="reg-clocks-title">
        <h2 id="reg-clocks-title">{r.clocksTitle}</h2>
        {exercise && <ExerciseNote clock={exercise} />}
        {clocks.length === 0 && !(meta?.exercise && exercise === null) && <p class="muted">{r.noClock}</p>}
        <ul class="reg-clocks" data-testid="reg-clocks">
          {clocks.map((c) => (
            <ClockRow clock={c} now={now} />
          ))}
        </ul>
        {meta && <AwarenessForm session={session} meta={meta} director={director} />}
      </section>
      <section class="card-box" aria-labelledby="reg-drafts-title">
        <h2 id="reg-drafts-title">{r.drafts}</h2>
        {!readOnly && <NewDraft open={open} drafts={drafts} meta={meta} onCreated={setEditing} />}
        {drafts.length === 0 && <p class="empty">{r.noDrafts}</p>}
        <ul class="reg-drafts">
          {drafts.map((d) => {
            const missing = missingFields(d, lateAfter(clockOfDraft(clocks, d.kind)), now);
            return (
              <li class={`reg-draft${d.id === editing ? ' selected' : ''}`} data-testid="reg-draft" data-id={d.id} data-status={d.status}>
                <button type="button" class="link-button" onClick={() => setEditing(d.id === editing ? null : d.id)} aria-expanded={d.id === editing}>
                  {r.kinds[d.kind]}
                </button>
                <span class={`badge reg-status reg-${d.status}`}>{d.status === 'sent' ? r.statusSent : r.statusDraft}</span>
                {missing.length > 0 ? <span class="badge reg-missing">{r.missing(missing.length)}</span> : <span class="badge reg-complete">{r.complete}</span>}
                {open.marks.has(d.id) && <WaitingBadge />}
                <span class="muted">
                  {d.createdBy} · {d.status === 'sent' && d.sentAt ? `${r.statusSent} ${i18n.dateTime(d.sentAt)}` : i18n.dateTime(d.createdAt)}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
      {current && <DraftEditor key={current.id} open={open} draft={current} drafts={drafts} clock={clockOfDraft(clocks, current.kind)} readOnly={readOnly} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** In an exercise: the deadlines count on the exercise clock, said above them with its state. */
function ExerciseNote({ clock }: { clock: ExerciseClock }) {
  const r = useI18n().t.reg;
  const state = clock.status === 'running' ? r.exerciseRunning(clock.factor) : clock.status === 'paused' ? r.exercisePaused : r.exerciseReady;
  return (
    <p class="banner info reg-exercise-clock" role="note" data-testid="reg-exercise-clock" data-status={clock.status}>
      <strong>{r.exerciseTime}</strong> — {r.exerciseNote(state)}
    </p>
  );
}

/** The director records the awareness times; others see them. Written to the metadata document (the server refuses anyone else). */
function AwarenessForm({ session, meta, director }: { session: IncidentSession; meta: IncidentMeta; director: boolean }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const [aware, setAware] = useState(toLocalInput(meta.breachAwareAt));
  const [nis2, setNis2] = useState(meta.nis2 ?? false);
  const [nis2Aware, setNis2Aware] = useState(toLocalInput(meta.nis2AwareAt));
  const [health, setHealth] = useState(meta.healthSector ?? false);
  useEffect(() => {
    setAware(toLocalInput(meta.breachAwareAt));
    setNis2(meta.nis2 ?? false);
    setNis2Aware(toLocalInput(meta.nis2AwareAt));
    setHealth(meta.healthSector ?? false);
  }, [meta.breachAwareAt, meta.nis2, meta.nis2AwareAt, meta.healthSector]);
  if (!director) {
    return (
      <dl class="reg-facts" data-testid="reg-facts">
        <dt>{r.breachAwareAt}</dt>
        <dd>{meta.breachAwareAt ? i18n.dateTime(meta.breachAwareAt) : r.notSet}</dd>
        {meta.nis2 && (
          <>
            <dt>{r.nis2AwareAt}</dt>
            <dd>{meta.nis2AwareAt ? i18n.dateTime(meta.nis2AwareAt) : r.notSet}</dd>
          </>
        )}
        <dd class="muted">{r.directorOnly}</dd>
      </dl>
    );
  }
  const submit = (e: Event) => {
    e.preventDefault();
    session.setRegulatoryClocks({ breachAwareAt: fromLocalInput(aware), nis2, nis2AwareAt: nis2 ? fromLocalInput(nis2Aware) : null, healthSector: health });
  };
  return (
    <form class="reg-awareness" onSubmit={submit} aria-label={r.awareness} data-testid="reg-awareness">
      <div class="row">
        <label class="field">
          <span>{r.breachAwareAt}</span>
          <input type="datetime-local" data-testid="breach-aware-at" value={aware} onInput={(e) => setAware(e.currentTarget.value)} />
        </label>
        <button type="button" class="small" onClick={() => setAware(toLocalInput(session.now().toISOString()))}>
          {r.now}
        </button>
        <label class="check">
          <input type="checkbox" checked={nis2} onChange={(e) => setNis2(e.currentTarget.checked)} /> {r.nis2}
        </label>
        {nis2 && (
          <label class="field">
            <span>{r.nis2AwareAt}</span>
            <input type="datetime-local" value={nis2Aware} onInput={(e) => setNis2Aware(e.currentTarget.value)} />
          </label>
        )}
        <label class="check">
          <input type="checkbox" checked={health} onChange={(e) => setHealth(e.currentTarget.checked)} /> {r.healthSector}
        </label>
        <button type="submit" class="primary" data-testid="save-awareness">
          {r.save}
        </button>
      </div>
    </form>
  );
}

function NewDraft({ open, drafts, meta, onCreated }: { open: OpenIncident; drafts: RegulatoryDraft[]; meta: IncidentMeta | null; onCreated: (id: string) => void }) {
  const { t, lang } = useI18n();
  const r = t.reg;
  const [kind, setKind] = useState<DraftKind>('cnil_initial');
  const [prefill, setPrefill] = useState(true);
  const submit = (e: Event) => {
    e.preventDefault();
    const { session } = open;
    // Prefilled from the live documents: what this browser holds is what the cell sees.
    const content = prefill && meta ? prefillDraft(kind, { meta, log: session.log.entries(), tasks: session.tasks.list(), decisions: session.decisions.list(), drafts }, lang) : {};
    const draft = session.createDraft({ kind, ...content });
    open.marks.add('regulatory', draft.id);
    onCreated(draft.id);
  };
  return (
    <form class="row new-item" onSubmit={submit} aria-label={r.newDraft}>
      <label class="field">
        <span>{r.kind}</span>
        <select value={kind} data-testid="new-draft-kind" onChange={(e) => setKind(e.currentTarget.value as DraftKind)}>
          {DRAFT_KINDS.map((k) => (
            <option value={k}>{r.kinds[k]}</option>
          ))}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={prefill} onChange={(e) => setPrefill(e.currentTarget.checked)} /> {r.prefill}
      </label>
      <button type="submit" class="primary" data-testid="create-draft">
        {r.create}
      </button>
    </form>
  );
}
