import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import { DRAFT_FIELDS, DRAFT_KINDS, type DraftKind, type DraftPatch, type MissingField, type RegulatoryDraft, missingFields } from '../../../../../shared/model/regulatory';
import { prefillDraft } from '../../../../../shared/model/regulatoryPrefill';
import { type Clock, clockOfDraft, clockState, regulatoryClocks } from '../../../../../shared/timeline/deadlines';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import { type OpenIncident, useSignal } from '../../connection';
import { ApiError, OfflineError, request } from '../../http';
import { Kbd, WaitingBadge, useI18n, useNow } from '../common/common';

export function useDrafts(session: IncidentSession): RegulatoryDraft[] {
  const tick = useSignal(useMemo(() => (n: () => void) => session.onChange('regulatory', n), [session]));
  return useMemo(() => session.regulatory.list(), [session, tick]);
}

/** The clocks of the incident from the live documents: the same computation as the server's exports. */
export function useClocks(session: IncidentSession, meta: IncidentMeta | null): Clock[] {
  const drafts = useDrafts(session);
  return useMemo(() => (meta ? regulatoryClocks(meta, drafts) : []), [meta, drafts]);
}

/** "reste 71:59:58", "dépassée de 0:12:04", "sans délai", "envoyée le …": one clock, live to the second. */
export function ClockText({ clock, now }: { clock: Clock; now: Date }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const { remainingMs, state } = clockState(clock, now.getTime());
  if (state === 'met') return <span data-testid="clock-remaining">{r.met} {i18n.dateTime(clock.metAt!)}</span>;
  if (clock.immediate) return <span data-testid="clock-remaining">{r.dueNow}</span>;
  return <span data-testid="clock-remaining" class="countdown">{remainingMs > 0 ? `${r.remaining} ${i18n.countdown(remainingMs)}` : `${r.overdueBy} ${i18n.countdown(remainingMs)}`}</span>;
}

/** The CNIL 72-hour countdown in the room header (a link to the Regulatory view) or on the wall screen (`href` null: no control there). */
export function HeaderCountdown({ clocks, href }: { clocks: Clock[]; href: string | null }) {
  const i18n = useI18n();
  const now = useNow(1_000);
  const cnil = clocks.find((c) => c.id === 'cnil-72h');
  if (!cnil) return null;
  const { state } = clockState(cnil, now.getTime());
  const props = { class: `reg-countdown clock-${state}`, title: `${i18n.t.reg.countdownTitle} — ${i18n.t.reg.due} ${i18n.dateTime(cnil.due)}`, 'data-testid': 'cnil-countdown', 'data-state': state };
  const body = (
    <>
      <span class="reg-countdown-label">CNIL 72 h</span> <ClockText clock={cnil} now={now} />
    </>
  );
  return href === null ? <span {...props}>{body}</span> : <a {...props} href={href}>{body}</a>;
}

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
  const clocks = useMemo(() => (meta ? regulatoryClocks(meta, drafts) : []), [meta, drafts]);
  const now = useNow(1_000);
  const [editing, setEditing] = useState<string | null>(null);
  const current = editing ? (drafts.find((d) => d.id === editing) ?? null) : null;
  return (
    <div class="page-panel regulatory-view" aria-label={r.label}>
      <section class="card-box" aria-labelledby="reg-clocks-title">
        <h2 id="reg-clocks-title">{r.clocksTitle}</h2>
        {clocks.length === 0 && <p class="muted">{r.noClock}</p>}
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
            const missing = missingFields(d, clockOfDraft(clocks, d.kind)?.due ?? null, now);
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

function ClockRow({ clock, now }: { clock: Clock; now: Date }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const { state } = clockState(clock, now.getTime());
  return (
    <li class={`reg-clock clock-${state}`} data-testid="reg-clock" data-clock={clock.id} data-state={state}>
      <strong>{r.clocks[clock.id]}</strong>
      <span class="reg-clock-time">
        <ClockText clock={clock} now={now} />
      </span>
      <span class="muted">
        {r.due} {i18n.dateTime(clock.due)}
        {clock.estimated && ` — ${clock.id === 'nis2-final' ? r.estimatedFinal : r.estimated}`}
      </span>
      <small class="muted">{clock.basis}</small>
    </li>
  );
}

function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function fromLocalInput(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
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
  const { t } = useI18n();
  const r = t.reg;
  const [kind, setKind] = useState<DraftKind>('cnil_initial');
  const [prefill, setPrefill] = useState(true);
  const submit = (e: Event) => {
    e.preventDefault();
    const { session } = open;
    // Prefilled from the live documents: what this browser holds is what the cell sees.
    const content = prefill && meta ? prefillDraft(kind, { meta, log: session.log.entries(), tasks: session.tasks.list(), decisions: session.decisions.list(), drafts }) : {};
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

/** One field of the draft: typed locally, written to the document when it loses focus (one update per edit, not per key). */
function DraftField({ label, hint, value, required, missing, readOnly, onCommit }: { label: string; hint?: string; value: string; required: boolean; missing: boolean; readOnly: boolean; onCommit: (v: string) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setText(value);
  }, [value, dirty]);
  return (
    <label class={`field reg-field${missing ? ' missing' : ''}`} data-missing={missing ? 'true' : 'false'}>
      <span>
        {label}
        {required && <em class="reg-required"> · {t.reg.required}</em>}
        {missing && <strong class="reg-flag"> — {t.reg.fieldMissing}</strong>}
      </span>
      <textarea
        rows={3}
        value={text}
        readOnly={readOnly}
        aria-invalid={missing}
        aria-required={required}
        maxLength={20_000}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setDirty(true);
        }}
        onChange={(e) => {
          setDirty(false);
          if (e.currentTarget.value !== value) onCommit(e.currentTarget.value);
        }}
      />
      {hint && <small class="muted">{hint}</small>}
    </label>
  );
}

function DraftEditor({ open, draft, drafts, clock, readOnly, onClose }: { open: OpenIncident; draft: RegulatoryDraft; drafts: RegulatoryDraft[]; clock: Clock | null; readOnly: boolean; onClose: () => void }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const now = useNow(1_000);
  const sealed = draft.status === 'sent';
  const locked = readOnly || sealed;
  const missing = missingFields(draft, clock?.due ?? null, now);
  const spec = DRAFT_FIELDS[draft.kind];
  const required = new Set<MissingField>([...spec.required, ...missing]);
  const write = (patch: DraftPatch) => {
    open.session.updateDraft(draft.id, patch);
    open.marks.add('regulatory', draft.id);
  };
  const base = `/api/incidents/${open.session.incidentId}/regulatory/${draft.id}`;
  // Opening a draft moves the keyboard to it (the list stays above, one Shift+Tab away).
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const initials = drafts.filter((d) => d.kind === 'cnil_initial');
  return (
    <section class="card-box reg-editor" aria-labelledby="reg-editor-title" data-testid="reg-editor" data-id={draft.id} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header class="row">
        <h2 id="reg-editor-title" class="grow" tabIndex={-1} ref={titleRef}>
          {r.kinds[draft.kind]}
        </h2>
        <a class="button small" href={`${base}?format=md`} download data-testid="export-md">
          {r.exportMd}
        </a>
        <a class="button small" href={`${base}?format=pdf`} download data-testid="export-pdf">
          {r.exportPdf}
        </a>
        <button type="button" class="small ghost" onClick={onClose}>
          {r.closeEditor} <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
        </button>
      </header>
      {clock && (
        <p class={`reg-clock-line clock-${clockState(clock, now.getTime()).state}`}>
          {r.clocks[clock.id]} — {r.due} {i18n.dateTime(clock.due)} · <ClockText clock={clock} now={now} />
        </p>
      )}
      {sealed && (
        <p class="banner info" role="status" data-testid="reg-sealed">
          {r.sealed} {r.met} {i18n.dateTime(draft.sentAt!)} via {draft.sentVia}
          {draft.reference ? ` — ${draft.reference}` : ''} {r.sentBy} {draft.sentBy}
        </p>
      )}
      {missing.length > 0 ? (
        <div class="banner warn" role="status" data-testid="reg-missing">
          <strong>{r.missingList} :</strong> {missing.map((f) => r.fields[f]).join(' ; ')}
        </div>
      ) : (
        <p class="banner info">{r.complete}</p>
      )}
      <div class="reg-form">
        {draft.kind === 'cnil_complementary' && (
          <label class={`field reg-field${missing.includes('complements') ? ' missing' : ''}`} data-missing={missing.includes('complements') ? 'true' : 'false'}>
            <span>
              {r.fields.complements} <em class="reg-required"> · {r.required}</em>
            </span>
            <select
              value={draft.complements ?? ''}
              disabled={locked}
              aria-invalid={missing.includes('complements')}
              onChange={(e) => {
                write({ complements: e.currentTarget.value || null });
              }}
            >
              <option value="">{r.chooseInitial}</option>
              {initials.map((d) => (
                <option value={d.id}>
                  {r.kinds[d.kind]} — {i18n.dateTime(d.createdAt)}
                  {d.reference ? ` (${d.reference})` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        {spec.fields.map((f) => (
          <DraftField key={f} label={r.fields[f]} hint={r.hints[f]} value={draft[f]} required={required.has(f)} missing={missing.includes(f)} readOnly={locked} onCommit={(v) => write({ [f]: v })} />
        ))}
      </div>
      {!locked && <SendForm incidentId={open.session.incidentId} draft={draft} canSend={missing.length === 0} />}
    </section>
  );
}

/** "Mark as sent": how, reference, when; a second, explicit confirmation; then the server seals the draft and writes the log. */
function SendForm({ incidentId, draft, canSend }: { incidentId: string; draft: RegulatoryDraft; canSend: boolean }) {
  const { t } = useI18n();
  const r = t.reg;
  const [openForm, setOpenForm] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [via, setVia] = useState('');
  const [reference, setReference] = useState('');
  const [sentAt, setSentAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The confirmation takes the focus, so Enter confirms and Tab reaches "cancel".
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (!openForm) {
    return (
      <div class="row">
        <button type="button" class="primary" data-testid="mark-sent" disabled={!canSend} onClick={() => setOpenForm(true)}>
          {r.markSent}
        </button>
        {!canSend && <span class="muted">{r.cannotSend}</span>}
      </div>
    );
  }
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await request(`/api/incidents/${incidentId}/regulatory/${draft.id}/send`, null, { method: 'POST', body: { via: via.trim(), reference: reference.trim(), ...(sentAt ? { sentAt: new Date(sentAt).toISOString() } : {}) } });
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof OfflineError ? t.offline : String(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="reg-send"
      aria-label={r.markSent}
      onSubmit={(e) => {
        e.preventDefault();
        if (via.trim()) setConfirming(true);
      }}
    >
      <div class="row">
        <label class="field grow">
          <span>{r.via}</span>
          <input value={via} required maxLength={300} placeholder={r.viaPlaceholder} data-testid="sent-via" onInput={(e) => setVia(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{r.reference}</span>
          <input value={reference} maxLength={300} data-testid="sent-reference" onInput={(e) => setReference(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{r.sentAt}</span>
          <input type="datetime-local" value={sentAt} onInput={(e) => setSentAt(e.currentTarget.value)} />
        </label>
        {!confirming && (
          <button type="submit" class="primary" disabled={!via.trim()}>
            {r.markSent}
          </button>
        )}
      </div>
      {confirming && (
        <div class="banner warn row" role="alertdialog" aria-label={r.confirmSend}>
          <span class="grow">{r.confirmText}</span>
          <button type="button" class="primary" data-testid="confirm-sent" disabled={busy} onClick={() => void send()} ref={confirmRef}>
            {r.confirmSend}
          </button>
          <button type="button" class="ghost" onClick={() => setConfirming(false)}>
            {t.cancel}
          </button>
        </div>
      )}
      {error && (
        <p class="banner error" role="alert">
          {r.sendFailed} — {error}
        </p>
      )}
    </form>
  );
}
