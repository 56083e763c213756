import { type ComponentChildren, createContext } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
import type { InjectMark, LogEntry } from '../../../../../shared/model/log';
import { usePublicExercise } from '../../exercisePublic';
import { Kbd, useI18n } from '../common/common';
import { textStart } from './injectText';
import './inject.css';

/** The exercise's roles by id → their labels (its public view), for the rows' "→ for <role>". */
const RoleLabels = createContext<ReadonlyMap<string, string>>(new Map());

/** Gives the inject rows below it the labels of the exercise's roles: the public view read once for the whole log. */
export function InjectRoleLabels({ incidentId, isExercise, children }: { incidentId: string; isExercise: boolean; children: ComponentChildren }) {
  const roles = usePublicExercise(incidentId, isExercise)?.roles;
  // Keyed on the labels themselves: the view is fetched again every few seconds, the rows re-render only when a label changes.
  const key = JSON.stringify((roles ?? []).map((r) => [r.id, r.label]));
  const labels = useMemo(() => new Map(JSON.parse(key) as Array<[string, string]>), [key]);
  return <RoleLabels.Provider value={labels}>{children}</RoleLabels.Provider>;
}

/**
 * The mark of an exercise inject in its row: a badge that says it comes from outside (played by
 * the animators), its channel, who it comes from and the role it is addressed to (its label when
 * known, else its id).
 */
export function InjectMeta({ inject }: { inject: InjectMark }) {
  const { t } = useI18n();
  const roleLabels = useContext(RoleLabels);
  return (
    <span class="inject-meta" data-testid="inject-meta" data-channel={inject.channel}>
      <span class="badge inject-badge" title={t.injectHelp} data-testid="inject-badge">
        ⚑ {t.injectBadge}
      </span>
      <span class="badge inject-channel" data-testid="inject-channel">
        {t.exercise.channels[inject.channel]}
      </span>
      <span class="inject-from" data-testid="inject-from">
        {t.injectFrom} <strong>{inject.from}</strong>
      </span>
      {inject.to && (
        <span class="inject-to" data-testid="inject-to">
          → {t.injectTo} <strong>{roleLabels.get(inject.to) ?? inject.to}</strong>
        </span>
      )}
    </span>
  );
}

/** "↩ answers: <start of the entry answered>" under a reply; a button that brings that entry into view. */
export function AnswersLine({ answered, onShow }: { answered: LogEntry; onShow: () => void }) {
  const { t } = useI18n();
  return (
    <p class="entry-answers" data-testid="entry-answers" data-reply-to={answered.id}>
      <button type="button" class="link-button" onClick={onShow} title={t.showAnswered}>
        ↩ {t.answers}
        {t.colon} {answered.inject && <span class="inject-mini">⚑ </span>}
        <span class="answers-text">{textStart(answered.text)}</span>
      </button>
    </p>
  );
}

/** "↩ Replying to 10:42 (Animator): <text>" above the quick-entry line, with the way out (× or Esc). */
export function ReplyChip({ entry, onCancel }: { entry: LogEntry; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div class={`reply-chip${entry.inject ? ' to-inject' : ''}`} role="status" data-testid="reply-chip" data-reply-to={entry.id}>
      <span class="reply-chip-text">
        ↩ {t.replyingTo} {i18n.shortTime(entry.recordedAt)} ({entry.inject ? entry.inject.from : entry.author}){t.colon} <span class="reply-chip-quote">{textStart(entry.text, 60)}</span>
      </span>
      <button type="button" class="small ghost reply-cancel" data-testid="reply-cancel" onClick={onCancel} title={t.cancelReply}>
        <span aria-hidden="true">×</span> <span class="sr-only">{t.cancelReply}</span> <Kbd>{i18n.lang === 'fr' ? 'Échap' : 'Esc'}</Kbd>
      </button>
    </div>
  );
}

/** Whether a key press on an entry is the entry's own shortcut (`r`, `t`), not typing in one of its fields. */
export function entryShortcut(ev: KeyboardEvent): 'reply' | 'task' | null {
  if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.isComposing) return null;
  const target = ev.target as HTMLElement | null;
  if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return null;
  if (ev.key === 'r' || ev.key === 'R') return 'reply';
  if (ev.key === 't' || ev.key === 'T') return 'task';
  return null;
}

/** Focuses an entry's row once it is drawn (the list may first have to scroll to it), so `r` and `t` apply to it. */
export function focusEntryRow(id: string, tries = 5): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>(`#log-list [data-testid="log-entry"][data-id="${CSS.escape(id)}"]`);
    if (row) {
      row.scrollIntoView({ block: 'nearest' });
      row.focus({ preventScroll: true });
    } else if (tries > 0) focusEntryRow(id, tries - 1);
  });
}
