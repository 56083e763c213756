import { useMemo, useState } from 'preact/hooks';
import type { LogEntry } from '../../../../../shared/model/log';
import type { Task } from '../../../../../shared/model/tasks';
import type { OpenIncident } from '../../connection';
import { Kbd, announce, useI18n } from '../common/common';
import { injectToLink, useInjects } from './taskData';
import { textStart } from '../log/injectText';
import './injectLinks.css';

/**
 * The new-task form's link to an exercise inject: a button that links the latest inject no task
 * answers yet (Alt+I), then the inject linked, with the way to unlink it.
 */
export function InjectLinkChip({ inject, onToggle }: { inject: LogEntry | null; onToggle: () => void }) {
  const { t } = useI18n();
  if (!inject) {
    return (
      <button type="button" class="small inject-link" data-testid="link-inject" onClick={onToggle} aria-keyshortcuts="Alt+I">
        ⚑ {t.linkInject} <Kbd>Alt+I</Kbd>
      </button>
    );
  }
  return (
    <span class="task-inject-chip" role="status" data-testid="task-inject-chip" data-entry-id={inject.id}>
      ⚑ {t.linkedInject}{t.colon} <span class="task-inject-text">{textStart(inject.text, 60)}</span>
      <button type="button" class="small ghost" data-testid="unlink-inject" onClick={onToggle} aria-label={t.unlink} title={t.unlink}>
        ×
      </button>
    </span>
  );
}

/** On a task card: the injects the task answers (its linked entries that are injects), each a way to it in the log. */
export function CardInjects({ injects, onReveal }: { injects: LogEntry[]; onReveal: (id: string) => void }) {
  const { t } = useI18n();
  if (injects.length === 0) return null;
  return (
    <ul class="card-injects" data-testid="card-injects">
      {injects.map((e) => (
        <li>
          <button
            type="button"
            class="link-button small"
            data-testid="card-inject"
            data-entry-id={e.id}
            title={t.linkedInject}
            onClick={(ev) => {
              ev.stopPropagation();
              onReveal(e.id);
            }}
          >
            ⚑ <span class="sr-only">{t.linkedInject}{t.colon} </span>
            {e.inject?.from ? `${e.inject.from} — ` : ''}
            {textStart(e.text, 70)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The board's link between tasks and an exercise's injects: `i` on a card links the task to the
 * latest inject no task answers yet (else the latest it does not answer), and each card's injects.
 */
export function useInjectLinking(open: OpenIncident, injects: LogEntry[], tasks: Task[]) {
  const { t } = useI18n();
  const byId = useMemo(() => new Map(injects.map((e) => [e.id, e])), [injects]);
  const linkInject = (task: Task) => {
    const inject = injectToLink(injects, tasks.flatMap((x) => x.logLinks), task.logLinks);
    if (!inject) {
      announce(t.noInjectToLink);
      return;
    }
    open.session.updateTask(task.id, { logLinks: [...task.logLinks, inject.id] });
    open.marks.add('tasks', task.id);
    announce(t.injectLinked(textStart(inject.text, 80)));
  };
  const cardInjects = (task: Task): LogEntry[] => task.logLinks.flatMap((id) => byId.get(id) ?? []);
  return { linkInject, cardInjects };
}

/** The board's key line, in an exercise: `i` on a card links it to the latest inject. */
export function InjectKeyHint() {
  const { t } = useI18n();
  return (
    <>
      {' · '}
      <Kbd>i</Kbd> {t.linkInject}
    </>
  );
}

/**
 * A form's choice of an inject to refer to (the decision form's `basedOn`): Alt+I or the button
 * picks the latest inject nothing in `linkedIds` refers to yet, and again drops it.
 */
export function useInjectChoice(open: OpenIncident, linkedIds: () => Iterable<string>) {
  const injects = useInjects(open);
  const [inject, setInject] = useState<LogEntry | null>(null);
  const toggle = () => setInject(inject ? null : injectToLink(injects, linkedIds()));
  const onKeyDown = (ev: KeyboardEvent) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.code !== 'KeyI' || injects.length === 0) return;
    ev.preventDefault();
    toggle();
  };
  return { offered: injects.length > 0, inject, toggle, clear: () => setInject(null), onKeyDown };
}
