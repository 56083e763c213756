import { useEffect, useRef, useState } from 'preact/hooks';
import { DRAFT_FIELDS, type DraftPatch, type MissingField, type RegulatoryDraft, missingFields } from '../../../../../shared/model/regulatory';
import { type Clock, clockState, lateAfter } from '../../../../../shared/timeline/deadlines';
import type { OpenIncident } from '../../connection';
import { ApiError, OfflineError, request } from '../../http';
import { Kbd, useI18n, useNow } from '../common/common';
import { readerQuery } from '../../i18n';
import { ClockText, DueText, clockName } from './clocks';

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

export function DraftEditor({ open, draft, drafts, clock, readOnly, onClose }: { open: OpenIncident; draft: RegulatoryDraft; drafts: RegulatoryDraft[]; clock: Clock | null; readOnly: boolean; onClose: () => void }) {
  const i18n = useI18n();
  const r = i18n.t.reg;
  const now = useNow(1_000);
  const sealed = draft.status === 'sent';
  const locked = readOnly || sealed;
  const missing = missingFields(draft, lateAfter(clock), now);
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
        <a class="button small" href={`${base}?format=md&${readerQuery(i18n)}`} download data-testid="export-md">
          {r.exportMd}
        </a>
        <a class="button small" href={`${base}?format=pdf&${readerQuery(i18n)}`} download data-testid="export-pdf">
          {r.exportPdf}
        </a>
        <button type="button" class="small ghost" onClick={onClose}>
          {r.closeEditor} <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
        </button>
      </header>
      {clock && (
        <p class={`reg-clock-line clock-${clockState(clock, now.getTime()).state}`}>
          {clockName(r.clocks[clock.id], clock, r.exerciseClock)} — {r.due} <DueText clock={clock} /> · <ClockText clock={clock} now={now} />
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
          <strong>{r.missingList}{i18n.t.colon}</strong> {missing.map((f) => r.fields[f]).join(i18n.lang === 'fr' ? '\u202F; ' : '; ')}
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
      setError(err instanceof ApiError ? `${err.code}${t.colon} ${err.message}` : err instanceof OfflineError ? t.offline : String(err));
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
