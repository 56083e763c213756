import { LogEntry, Verification } from '../../../../../shared/model/log';
import type { VerificationRecord } from '../../../../../shared/model/verification';
import { CategoryBadge, SeverityBadge, WaitingBadge, useI18n } from '../common/common';
import { VerificationButton, VerificationPanel } from './Verification';
import { AnswersLine, InjectMeta, entryShortcut } from './InjectParts';

/** Longer than this (characters or lines), an entry shows folded with "show more": one long paste must not push the log off the screen. */
const FOLD_CHARS = 600;
const FOLD_LINES = 6;

export function isLongText(text: string): boolean {
  if (text.length > FOLD_CHARS) return true;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= FOLD_LINES; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines > FOLD_LINES;
}

/** The entry's text; a long one folded to its first lines with a button to show the rest (and fold it again). */
function EntryText({ text, expanded, onToggle }: { text: string; expanded: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  if (!isLongText(text)) {
    return (
      <p class="entry-text" data-testid="entry-text">
        {text}
      </p>
    );
  }
  return (
    <>
      <p class={`entry-text${expanded ? '' : ' folded'}`} data-testid="entry-text" data-folded={!expanded}>
        {text}
      </p>
      <button type="button" class="link-button show-more" data-testid="show-more" aria-expanded={expanded} onClick={onToggle}>
        {expanded ? t.layout.showLess : t.layout.showMore}
      </button>
    </>
  );
}

/**
 * One entry of the log: times, badges (an exercise inject's mark), text, the original it
 * corrects, the entry it answers, its verification, and the amend, reply and to-task buttons.
 * Selected (tapped, or focused through one of its buttons), `r` replies to it and `t` makes a task of it.
 */
export function LogRow({
  entry: e,
  verification,
  history,
  historyOpen,
  onToggleHistory,
  onVerify,
  original,
  corrections,
  waiting,
  highlighted,
  readOnly,
  onAmend,
  onTask,
  onReply,
  answered,
  onShowAnswered,
  expanded,
  onToggleExpand,
}: {
  entry: LogEntry;
  verification: Verification;
  history: VerificationRecord[];
  historyOpen: boolean;
  onToggleHistory: () => void;
  onVerify: (state: Verification, note?: string) => void;
  original: LogEntry | null;
  corrections: LogEntry[] | null;
  waiting: boolean;
  highlighted: boolean;
  readOnly: boolean;
  onAmend: () => void;
  onTask: () => void;
  onReply: () => void;
  /** The entry this one answers (`replyTo`), when it is in the log. */
  answered: LogEntry | null;
  onShowAnswered: () => void;
  /** A long entry is shown whole (else folded to a few lines, with "show more"). */
  expanded: boolean;
  onToggleExpand: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const latest = corrections?.[corrections.length - 1];
  const onKeyDown = (ev: KeyboardEvent) => {
    const action = readOnly ? null : entryShortcut(ev);
    if (!action) return;
    ev.preventDefault();
    // Not to the window: there, a letter typed in the log goes to the quick-entry line.
    ev.stopPropagation();
    if (action === 'reply') onReply();
    else onTask();
  };
  return (
    <article
      class={`entry cat-${e.category} sev-${e.severity}${e.key ? ' key' : ''}${latest ? ' amended' : ''}${waiting ? ' is-waiting' : ''}${highlighted ? ' highlighted' : ''}${e.inject ? ' inject' : ''}`}
      data-testid="log-entry"
      data-id={e.id}
      data-inject={e.inject?.id}
      // Focusable by a tap (not by Tab): on a phone, the entry's buttons show when it is tapped.
      tabIndex={-1}
      aria-keyshortcuts={readOnly ? undefined : 'r t'}
      onKeyDown={onKeyDown}
    >
      <div class="entry-time">
        <time dateTime={e.recordedAt} title={`${t.recordedAt} ${i18n.dateTime(e.recordedAt)}`}>
          {i18n.time(e.recordedAt)}
        </time>
        {e.eventAt && (
          <span class="event-at" title={`${t.eventAt} ${i18n.dateTime(e.eventAt)}`}>
            ◷ {i18n.shortTime(e.eventAt)}
          </span>
        )}
      </div>
      <div class="entry-main">
        <div class="entry-meta">
          {e.inject && <InjectMeta inject={e.inject} />}
          <CategoryBadge category={e.category} />
          {e.severity !== 'low' && <SeverityBadge severity={e.severity} />}
          {e.key && (
            <span class="badge key-badge" title={t.key}>
              ★ {t.key}
            </span>
          )}
          {e.amends && <span class="badge amend-badge">✎ {t.amendment}</span>}
          {latest && (
            <span class="badge amended-badge" title={`${t.amendedBy} ${i18n.time(latest.recordedAt)}`}>
              {t.amendedBy} {i18n.shortTime(latest.recordedAt)}
            </span>
          )}
          <VerificationButton state={verification} changes={history.length} open={historyOpen} readOnly={readOnly} onToggle={onToggleHistory} onSet={(state) => onVerify(state)} />
          {e.paper && (
            <span class="badge paper-badge" data-testid="paper-badge" title={`${t.paperWrittenBy} ${e.paper.writer}${e.paper.sheet ? ` — ${t.paperSheet} ${e.paper.sheet}` : ''}`}>
              ✍ {t.paperBadge}{t.colon} {e.paper.writer}
              {e.paper.sheet ? ` (${e.paper.sheet})` : ''}
            </span>
          )}
          <span class="author">{e.author}</span>
          {e.source && !(e.inject && e.inject.from === e.source) && <span class="source">← {e.source}</span>}
          {e.tags.map((tag) => (
            <span class="tag">#{tag}</span>
          ))}
          {waiting && <WaitingBadge />}
        </div>
        <EntryText text={e.text} expanded={expanded} onToggle={onToggleExpand} />
        {answered && <AnswersLine answered={answered} onShow={onShowAnswered} />}
        {original && (
          <p class="entry-original">
            <span class="label">
              {t.replaces} ({i18n.shortTime(original.recordedAt)}, {original.author}) :
            </span>{' '}
            <del>{original.text}</del>
          </p>
        )}
        {historyOpen && <VerificationPanel entry={e} state={verification} history={history} readOnly={readOnly} onSet={onVerify} />}
      </div>
      {!readOnly && <EntryActions text={e.text} onAmend={onAmend} onReply={onReply} onTask={onTask} />}
    </article>
  );
}

/** The entry's buttons (the touch way to what `r` and `t` do on a selected entry): amend, reply, to task. */
function EntryActions({ text, onAmend, onReply, onTask }: { text: string; onAmend: () => void; onReply: () => void; onTask: () => void }) {
  const { t } = useI18n();
  const name = text.slice(0, 60);
  return (
    <div class="entry-actions">
      <button type="button" class="small ghost" onClick={onAmend} aria-label={`${t.amend}${t.colon} ${name}`}>
        ✎ <span class="action-label">{t.amend}</span>
      </button>
      <button type="button" class="small ghost reply-action" data-testid="reply-button" onClick={onReply} aria-label={`${t.reply}${t.colon} ${name}`} aria-keyshortcuts="r">
        ↩ <span class="action-label">{t.reply}</span>
      </button>
      <button type="button" class="small ghost" data-testid="task-button" onClick={onTask} aria-label={`${t.toTask}${t.colon} ${name}`} aria-keyshortcuts="t">
        → <span class="action-label">{t.toTask}</span>
      </button>
    </div>
  );
}
