import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Decision } from '../../../../../shared/model/decisions';
import type { LogEntry } from '../../../../../shared/model/log';
import { MAX_TASK_DESCRIPTION_CHARS, Priority, TASK_STATUSES, Task, TaskPatch, TaskStatus } from '../../../../../shared/model/tasks';
import { type OpenIncident, useSignal } from '../../connection';
import { Modal } from '../common/Modal';
import { DecisionBadge, useI18n } from '../common/common';
import { fold } from '../common/fold';
import { PeopleList, PriorityField } from './taskFields';
import { liveIndexOf } from '../log/logIndex';

function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The side panel that edits one task: its fields, status, and the log entries and decisions it is linked to. */
export function TaskEditor({
  open,
  task,
  decisions,
  people,
  onClose,
  onRevealEntry,
}: {
  open: OpenIncident;
  task: Task;
  decisions: Decision[];
  people: string[];
  onClose: () => void;
  onRevealEntry: (id: string) => void;
}) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [assignee, setAssignee] = useState(task.assignee ?? '');
  const [due, setDue] = useState(toLocalInput(task.dueAt));
  const [priority, setPriority] = useState<Priority>(task.priority);
  const [status, setStatus] = useState<TaskStatus>(task.status);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => firstRef.current?.focus(), []);

  const patch = (p: TaskPatch) => {
    open.session.updateTask(task.id, p);
    open.marks.add('tasks', task.id);
  };

  const descriptionTooLong = description.length > MAX_TASK_DESCRIPTION_CHARS;
  const save = (e: Event) => {
    e.preventDefault();
    // Refused here with the length and the limit, the text kept in the field: never cut.
    if (descriptionTooLong) return;
    const p: TaskPatch = {};
    if (title.trim() && title.trim() !== task.title) p.title = title.trim();
    if (description !== task.description) p.description = description;
    if ((assignee.trim() || null) !== task.assignee) p.assignee = assignee.trim() || null;
    const dueIso = due ? new Date(due).toISOString() : null;
    if (dueIso !== task.dueAt && !(dueIso && task.dueAt && Math.abs(Date.parse(dueIso) - Date.parse(task.dueAt)) < 60_000)) p.dueAt = dueIso;
    if (priority !== task.priority) p.priority = priority;
    if (Object.keys(p).length > 0) patch(p);
    if (status !== task.status) {
      open.session.moveTask(task.id, status, null);
      open.marks.add('tasks', task.id);
    }
    onClose();
  };

  return (
    <Modal class="task-editor" labelledBy="task-editor-title" onClose={onClose}>
      <form class="panel-form" onSubmit={save}>
        <h2 id="task-editor-title">{t.edit}</h2>
        <label class="field">
          <span>{t.taskTitle}</span>
          <input ref={firstRef} value={title} maxLength={300} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.description}</span>
          <textarea rows={3} value={description} aria-invalid={descriptionTooLong} aria-describedby="task-description-length" onInput={(e) => setDescription(e.currentTarget.value)} />
          <span id="task-description-length" class="error" role="status" data-testid="task-description-length">
            {descriptionTooLong ? t.layout.fieldTooLong(description.length, MAX_TASK_DESCRIPTION_CHARS) : ''}
          </span>
        </label>
        <div class="row">
          <label class="field">
            <span>{t.moveTo}</span>
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value as TaskStatus)}>
              {TASK_STATUSES.map((s) => (
                <option value={s}>{enums.status[s]}</option>
              ))}
            </select>
          </label>
          <PriorityField value={priority} onChange={setPriority} />
        </div>
        <div class="row">
          <label class="field">
            <span>{t.assignee}</span>
            <input value={assignee} list="people-list-editor" maxLength={120} onInput={(e) => setAssignee(e.currentTarget.value)} />
            <PeopleList id="people-list-editor" people={people} />
          </label>
          <label class="field">
            <span>
              {t.due} ({i18n.timeZone})
            </span>
            <input type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
          </label>
        </div>
        <LinkedEntries open={open} task={task} patch={patch} onRevealEntry={onRevealEntry} />
        <LinkedDecisions task={task} decisions={decisions} patch={patch} />
        <div class="panel-actions">
          <button type="button" class="ghost" onClick={onClose}>
            {t.close}
          </button>
          <button type="submit" class="primary" data-testid="task-save" disabled={descriptionTooLong}>
            {t.save}
          </button>
        </div>
      </form>
    </Modal>
  );
}

type Patch = (p: TaskPatch) => void;

/** The log entries a task is linked to (each opens the log at it), and a search to link another. */
function LinkedEntries({ open, task, patch, onRevealEntry }: { open: OpenIncident; task: Task; patch: Patch; onRevealEntry: (id: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [search, setSearch] = useState('');
  const logTick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('log', n), [open.session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  const index = useMemo(() => liveIndexOf(open.session.log).current(), [open.session, logTick]);
  const { byId } = index;
  const matches = useMemo(() => {
    const q = fold(search.trim());
    if (!q) return [] as LogEntry[];
    const out: LogEntry[] = [];
    const { entries } = index;
    for (let i = entries.length - 1; i >= 0 && out.length < 6; i--) {
      const e = entries[i]!;
      if (!task.logLinks.includes(e.id) && fold(e.text).includes(q)) out.push(e);
    }
    return out;
  }, [index, search, task.logLinks]);
  return (
    <fieldset class="links">
      <legend>{t.linkedEntries}</legend>
      {task.logLinks.length === 0 && <p class="muted">{t.noLinks}</p>}
      <ul>
        {task.logLinks.map((id) => {
          const e = byId.get(id);
          return (
            <li>
              <button type="button" class="link-button" onClick={() => onRevealEntry(id)}>
                {e ? `${i18n.shortTime(e.recordedAt)} — ${e.text.slice(0, 120)}` : id}
              </button>{' '}
              <button type="button" class="small ghost" onClick={() => patch({ logLinks: task.logLinks.filter((x) => x !== id) })}>
                {t.unlink}
              </button>
            </li>
          );
        })}
      </ul>
      <label class="field">
        <span>{t.linkEntrySearch}</span>
        <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
      </label>
      <ul class="matches">
        {matches.map((e) => (
          <li>
            <span>
              {i18n.shortTime(e.recordedAt)} — {e.text.slice(0, 120)}
            </span>{' '}
            <button type="button" class="small" onClick={() => patch({ logLinks: [...task.logLinks, e.id] })}>
              {t.link}
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** The decisions a task carries out, ticked on and off. */
function LinkedDecisions({ task, decisions, patch }: { task: Task; decisions: Decision[]; patch: Patch }) {
  const { t } = useI18n();
  return (
    <fieldset class="links">
      <legend>{t.linkedDecisions}</legend>
      {decisions.length === 0 && <p class="muted">{t.noDecisions}</p>}
      {decisions.map((d) => (
        <label class="check">
          <input
            type="checkbox"
            checked={task.decisionLinks.includes(d.id)}
            onChange={(e) => patch({ decisionLinks: e.currentTarget.checked ? [...task.decisionLinks, d.id] : task.decisionLinks.filter((x) => x !== d.id) })}
          />
          <span>
            {d.title} <DecisionBadge status={d.status} />
          </span>
        </label>
      ))}
    </fieldset>
  );
}
