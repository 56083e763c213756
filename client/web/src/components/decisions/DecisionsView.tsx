import { useMemo, useState } from 'preact/hooks';
import type { Decision, DecisionStatus } from '../../../../../shared/model/decisions';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { DecisionBadge, Kbd, WaitingBadge, useI18n } from '../common/common';
import { useDecisions } from '../tasks/taskData';
import { readableNote } from '../../../../../shared/docs/decisionNotes';
import { takeDecisionPrefill } from '../../decisionPrefill';
import { InjectLinkChip, useInjectChoice } from '../tasks/InjectLinks';

/**
 * The decision record: statement, rationale, who decided and when, every status change kept.
 * Read only (observers): no form, no status buttons.
 */
export function DecisionsView({ open, addRef, readOnly = false, canDecide = true }: { open: OpenIncident; addRef: { current: HTMLInputElement | null }; readOnly?: boolean; canDecide?: boolean }) {
  const { t } = useI18n();
  const decisions = useDecisions(open);
  useSignal(useMemo(() => (n: () => void) => open.marks.onChange(n), [open.marks]));
  const [superseding, setSuperseding] = useState<Decision | null>(null);
  // Newest first: the record is read from the latest decision back.
  const ordered = useMemo(() => [...decisions].reverse(), [decisions]);
  const byId = useMemo(() => new Map(decisions.map((d) => [d.id, d] as const)), [decisions]);
  return (
    <section class="decisions-view" aria-label={t.decisionsLabel}>
      {!readOnly && <NewDecisionForm open={open} addRef={addRef} superseding={superseding} canDecide={canDecide} onDone={() => setSuperseding(null)} />}
      {ordered.length === 0 && <p class="empty">{t.noDecisions}</p>}
      <ol class="decision-list" aria-label={t.decisionsLabel}>
        {ordered.map((d) => (
          <DecisionCard
            key={d.id}
            decision={d}
            byId={byId}
            waiting={open.marks.has(d.id)}
            readOnly={readOnly || !canDecide}
            onStatus={(status, note) => {
              open.session.setDecisionStatus(d.id, status, note || null);
              open.marks.add('decisions', d.id);
            }}
            onSupersede={() => {
              setSuperseding(d);
              addRef.current?.focus();
            }}
          />
        ))}
      </ol>
    </section>
  );
}

function NewDecisionForm({ open, addRef, superseding, canDecide, onDone }: { open: OpenIncident; addRef: { current: HTMLInputElement | null }; superseding: Decision | null; canDecide: boolean; onDone: () => void }) {
  const { t, enums } = useI18n();
  // Prefilled once from a `#decision` log entry when the log view offered it (decisionPrefill.ts).
  const [prefill] = useState(() => takeDecisionPrefill(open.session.incidentId));
  const [basedOn, setBasedOn] = useState<string[]>(prefill ? [prefill.entryId] : []);
  const [title, setTitle] = useState(prefill?.title ?? '');
  const [statement, setStatement] = useState(prefill?.statement ?? '');
  const [rationale, setRationale] = useState('');
  // A new decision starts as a proposal: approving is a director's act (or a member's where the incident allows it).
  const [status, setStatus] = useState<'proposed' | 'approved'>('proposed');
  // In an exercise: Alt+I bases the decision on the latest inject no decision is based on yet.
  const injectChoice = useInjectChoice(open, () => open.session.decisions.list().flatMap((d) => d.basedOn));
  const submit = (e: Event) => {
    e.preventDefault();
    if (!title.trim()) return;
    const inject = injectChoice.inject && !basedOn.includes(injectChoice.inject.id) ? [injectChoice.inject.id] : [];
    const d = open.session.recordDecision({ title: title.trim(), statement, rationale, status, supersedes: superseding?.id ?? null, basedOn: [...basedOn, ...inject] });
    injectChoice.clear();
    open.marks.add('decisions', d.id);
    if (superseding) open.marks.add('decisions', superseding.id);
    setTitle('');
    setStatement('');
    setRationale('');
    setStatus('proposed');
    setBasedOn([]);
    onDone();
    addRef.current?.focus();
  };
  return (
    <form class="new-item decision-form" onSubmit={submit} onKeyDown={injectChoice.onKeyDown} aria-label={t.newDecision}>
      {basedOn.length > 0 && (
        <p class="amend-banner" role="status" data-testid="decision-prefilled">
          {t.friction.decisionPrefilled}
        </p>
      )}
      {superseding && (
        <p class="amend-banner" role="status">
          {t.supersedes}{t.colon} {t.quoted(superseding.title)}{' '}
          <button type="button" class="small ghost" onClick={onDone}>
            {t.cancel}
          </button>
        </p>
      )}
      <div class="row">
        <label class="field grow">
          <span>
            {t.newDecision} <Kbd>Alt+A</Kbd>
          </span>
          <input ref={addRef} id="new-decision-title" value={title} maxLength={300} placeholder={t.decisionTitlePlaceholder} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        {injectChoice.offered && <InjectLinkChip inject={injectChoice.inject} onToggle={injectChoice.toggle} />}
        {canDecide && (
          <label class="field">
            <span>{t.decisionStatus}</span>
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value as 'proposed' | 'approved')}>
              <option value="proposed">{enums.decision.proposed}</option>
              <option value="approved">{enums.decision.approved}</option>
            </select>
          </label>
        )}
      </div>
      <div class="row">
        <label class="field grow">
          <span>{t.statement}</span>
          <textarea rows={2} value={statement} maxLength={20_000} onInput={(e) => setStatement(e.currentTarget.value)} />
        </label>
        <label class="field grow">
          <span>{t.rationale}</span>
          <textarea rows={2} value={rationale} maxLength={20_000} onInput={(e) => setRationale(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary align-end" disabled={!title.trim()}>
          {t.record}
        </button>
      </div>
    </form>
  );
}

export function DecisionHistory({ decision, byId }: { decision: Decision; byId?: ReadonlyMap<string, Decision> }) {
  const i18n = useI18n();
  // Older histories name the superseding decision by id: show its title.
  // The supersession note is stored in English ("superseded by \"title\""): said in the reader's words.
  const note = (n: string | null) => {
    const readable = readableNote(n, (id) => byId?.get(id)?.title) ?? '';
    const superseded = /^superseded by "(.*)"$/s.exec(readable);
    return superseded ? `${i18n.t.supersededBy} ${i18n.t.quoted(superseded[1]!)}` : i18n.t.quoted(readable);
  };
  return (
    <ol class="history" aria-label={i18n.t.history}>
      {decision.history.map((h) => (
        <li class={`history-item dec-${h.status}`}>
          <DecisionBadge status={h.status} /> <time dateTime={h.at}>{i18n.time(h.at)}</time> — {h.by}
          {h.note && <span class="note"> {note(h.note)}</span>}
        </li>
      ))}
    </ol>
  );
}

function DecisionCard({
  decision: d,
  byId,
  waiting,
  readOnly,
  onStatus,
  onSupersede,
}: {
  decision: Decision;
  byId: Map<string, Decision>;
  waiting: boolean;
  readOnly: boolean;
  onStatus: (status: DecisionStatus, note: string) => void;
  onSupersede: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [note, setNote] = useState('');
  const supersededBy = [...byId.values()].find((x) => x.supersedes === d.id);
  const actions: Array<[DecisionStatus, string]> =
    d.status === 'proposed' ? [['approved', t.approve], ['rejected', t.reject]] : d.status === 'approved' ? [['revoked', t.revoke]] : [];
  return (
    <li class={`decision dec-${d.status}`} data-testid="decision" data-id={d.id} data-status={d.status}>
      <header class="decision-head">
        <DecisionBadge status={d.status} />
        <h3 class="decision-title">{d.title}</h3>
        {waiting && <WaitingBadge />}
      </header>
      {d.statement && <p class="statement">{d.statement}</p>}
      {d.rationale && (
        <p class="rationale">
          <strong>{t.rationale}{t.colon}</strong> {d.rationale}
        </p>
      )}
      <p class="decision-by">
        {d.decidedBy && d.decidedAt ? (
          <>
            {t.decidedBy} <strong>{d.decidedBy}</strong> · <time dateTime={d.decidedAt}>{i18n.time(d.decidedAt)}</time>
          </>
        ) : (
          <>
            {t.proposedBy} <strong>{d.createdBy}</strong> · <time dateTime={d.createdAt}>{i18n.time(d.createdAt)}</time>
          </>
        )}
        {d.supersedes && byId.get(d.supersedes) && <span class="rel"> · {t.supersedes} {t.quoted(byId.get(d.supersedes)!.title)}</span>}
        {supersededBy && <span class="rel"> · {t.supersededBy} {t.quoted(supersededBy.title)}</span>}
      </p>
      <details class="history-box" open={d.history.length > 1}>
        <summary>
          {t.history} ({d.history.length})
        </summary>
        <DecisionHistory decision={d} byId={byId} />
      </details>
      {!readOnly && (actions.length > 0 || d.status === 'approved') && (
        <div class="decision-actions">
          <label class="field compact grow">
            <span class="sr-only">{t.note}</span>
            <input value={note} maxLength={1_000} placeholder={t.notePlaceholder} aria-label={`${t.note} — ${d.title}`} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          {actions.map(([status, label]) => (
            <button
              type="button"
              class={status === 'approved' ? 'primary small' : 'small'}
              data-action={status}
              onClick={() => {
                onStatus(status, note.trim());
                setNote('');
              }}
            >
              {label}
            </button>
          ))}
          {d.status === 'approved' && (
            <button type="button" class="small" data-action="supersede" onClick={onSupersede}>
              {t.supersede}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
