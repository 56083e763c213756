import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PRIORITIES, Priority, TASK_STATUSES, Task, TaskPatch, TaskStatus } from '../../../../../shared/model/tasks';
import type { LogEntry } from '../../../../../shared/model/log';
import type { Decision } from '../../../../../shared/model/decisions';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { parseTime, resolveDueTime } from '../../quickEntry';
import { DecisionBadge, Kbd, PriorityBadge, WaitingBadge, announce, useI18n, useNow } from '../common/common';
import { fold } from '../log/LogView';

const OPEN: ReadonlySet<TaskStatus> = new Set(['todo', 'in_progress', 'blocked']);
const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function isOverdue(task: Task, now: Date): boolean {
  return task.dueAt !== null && OPEN.has(task.status) && Date.parse(task.dueAt) < now.getTime();
}

export function useTasks(open: OpenIncident): Task[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('tasks', n), [open.session]));
  return useMemo(() => open.session.tasks.list(), [open.session, tick]);
}

export function useDecisions(open: OpenIncident): Decision[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('decisions', n), [open.session]));
  return useMemo(() => open.session.decisions.list(), [open.session, tick]);
}

export function DueLabel({ task, now }: { task: Task; now: Date }) {
  const i18n = useI18n();
  if (!task.dueAt) return null;
  const due = Date.parse(task.dueAt);
  const late = isOverdue(task, now);
  return (
    <span class={`due${late ? ' overdue' : ''}`} data-overdue={late}>
      {late ? '⚠ ' : '◷ '}
      <time dateTime={task.dueAt}>{i18n.shortTime(task.dueAt, now)}</time>
      {OPEN.has(task.status) && <span class="due-rel"> · {late ? i18n.t.overdueBy(i18n.duration(now.getTime() - due)) : i18n.t.dueIn(i18n.duration(due - now.getTime()))}</span>}
    </span>
  );
}

/**
 * The task board: a column per status; move by drag and drop or by keyboard. Read only
 * (observers): no new task, no move, no editor; the arrows still walk the cards.
 */
export function TaskBoard({
  open,
  people,
  onRevealEntry,
  addRef,
  readOnly = false,
}: {
  open: OpenIncident;
  people: string[];
  onRevealEntry: (id: string) => void;
  addRef: { current: HTMLInputElement | null };
  readOnly?: boolean;
}) {
  const { session, marks } = open;
  const { t, enums } = useI18n();
  const tasks = useTasks(open);
  const decisions = useDecisions(open);
  useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  const now = useNow(15_000);
  const [editing, setEditing] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<TaskStatus | null>(null);
  const boardRef = useRef<HTMLDivElement>(null);

  const columns = useMemo(() => {
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, [] as Task[]])) as Record<TaskStatus, Task[]>;
    for (const task of tasks) byStatus[task.status].push(task);
    return byStatus;
  }, [tasks]);

  useEffect(() => {
    if (!focusId) return;
    const el = boardRef.current?.querySelector<HTMLElement>(`[data-task-id="${focusId}"]`);
    if (el && document.activeElement !== el) el.focus();
  });

  const move = (task: Task, status: TaskStatus, beforeId: string | null) => {
    if (readOnly) return;
    session.moveTask(task.id, status, beforeId);
    marks.add('tasks', task.id);
    setFocusId(task.id);
    announce(t.moved(task.title, enums.status[status]));
  };

  const onCardKey = (ev: KeyboardEvent, task: Task) => {
    const column = columns[task.status];
    const i = column.findIndex((x) => x.id === task.id);
    const s = TASK_STATUSES.indexOf(task.status);
    if (ev.shiftKey && ev.key === 'ArrowRight' && s < TASK_STATUSES.length - 1) move(task, TASK_STATUSES[s + 1]!, null);
    else if (ev.shiftKey && ev.key === 'ArrowLeft' && s > 0) move(task, TASK_STATUSES[s - 1]!, null);
    else if (ev.shiftKey && ev.key === 'ArrowUp' && i > 0) move(task, task.status, column[i - 1]!.id);
    else if (ev.shiftKey && ev.key === 'ArrowDown' && i < column.length - 1) move(task, task.status, column[i + 2]?.id ?? null);
    else if (!ev.shiftKey && ev.key === 'ArrowDown' && i < column.length - 1) setFocusId(column[i + 1]!.id);
    else if (!ev.shiftKey && ev.key === 'ArrowUp' && i > 0) setFocusId(column[i - 1]!.id);
    else if (!ev.shiftKey && (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft')) {
      const step = ev.key === 'ArrowRight' ? 1 : -1;
      for (let c = s + step; c >= 0 && c < TASK_STATUSES.length; c += step) {
        const other = columns[TASK_STATUSES[c]!];
        if (other.length > 0) {
          setFocusId(other[Math.min(i, other.length - 1)]!.id);
          break;
        }
      }
    } else if (!readOnly && (ev.key === 'Enter' || ev.key === ' ')) setEditing(task.id);
    else return;
    ev.preventDefault();
  };

  const dropBefore = (status: TaskStatus, ev: DragEvent): string | null => {
    const list = (ev.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[data-task-id]');
    for (const card of list) {
      if (card.dataset.taskId === dragId) continue;
      const box = card.getBoundingClientRect();
      if (ev.clientY < box.top + box.height / 2) return card.dataset.taskId ?? null;
    }
    void status;
    return null;
  };

  const editingTask = editing ? tasks.find((x) => x.id === editing) ?? null : null;

  return (
    <section class="board-view" aria-label={t.tasksLabel}>
      {!readOnly && <NewTaskForm open={open} people={people} addRef={addRef} />}
      {!readOnly && (
        <p class="board-keys">
          <Kbd>Shift+←/→</Kbd> <Kbd>Shift+↑/↓</Kbd> <Kbd>⏎</Kbd> — {t.boardKeys}
        </p>
      )}
      <div class="board" ref={boardRef}>
        {TASK_STATUSES.map((status) => (
          <section
            class={`column col-${status}${dropTarget === status ? ' drop-target' : ''}`}
            aria-labelledby={`col-${status}`}
            data-testid={`column-${status}`}
            data-status={status}
            onDragOver={(ev) => {
              if (!dragId || readOnly) return;
              ev.preventDefault();
              if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'move';
              if (dropTarget !== status) setDropTarget(status);
            }}
            onDragLeave={(ev) => {
              if (ev.currentTarget === ev.target) setDropTarget(null);
            }}
            onDrop={(ev) => {
              ev.preventDefault();
              const id = dragId ?? ev.dataTransfer?.getData('text/plain') ?? null;
              const task = id ? tasks.find((x) => x.id === id) : undefined;
              setDropTarget(null);
              setDragId(null);
              if (task) move(task, status, dropBefore(status, ev));
            }}
          >
            <h3 id={`col-${status}`} class="column-title">
              {enums.status[status]} <span class="column-count">{columns[status].length}</span>
            </h3>
            <ol class="cards">
              {columns[status].length === 0 && <li class="column-empty">{t.emptyColumn}</li>}
              {columns[status].map((task) => (
                <li
                  key={task.id}
                  class={`card prio-${task.priority}${isOverdue(task, now) ? ' overdue' : ''}${dragId === task.id ? ' dragging' : ''}`}
                  tabIndex={0}
                  draggable={!readOnly}
                  data-testid="task-card"
                  data-task-id={task.id}
                  data-status={task.status}
                  aria-label={`${task.title} — ${enums.status[task.status]}, ${enums.priority[task.priority]}${task.assignee ? `, ${task.assignee}` : ''}`}
                  onKeyDown={(ev) => onCardKey(ev, task)}
                  onFocus={() => setFocusId(task.id)}
                  onDblClick={() => !readOnly && setEditing(task.id)}
                  onDragStart={(ev) => {
                    if (readOnly) return;
                    setDragId(task.id);
                    ev.dataTransfer?.setData('text/plain', task.id);
                    if (ev.dataTransfer) ev.dataTransfer.effectAllowed = 'move';
                  }}
                  onDragEnd={() => {
                    setDragId(null);
                    setDropTarget(null);
                  }}
                >
                  <div class="card-head">
                    <PriorityBadge priority={task.priority} />
                    {marks.has(task.id) && <WaitingBadge />}
                  </div>
                  <p class="card-title">{task.title}</p>
                  <div class="card-meta">
                    <span class={`assignee${task.assignee ? '' : ' none'}`}>{task.assignee ?? t.unassigned}</span>
                    <DueLabel task={task} now={now} />
                  </div>
                  {(task.logLinks.length > 0 || task.decisionLinks.length > 0) && (
                    <p class="card-links">
                      {task.logLinks.length > 0 && (
                        <button
                          type="button"
                          class="link-button small"
                          onClick={(ev) => {
                            ev.stopPropagation();
                            onRevealEntry(task.logLinks[0]!);
                          }}
                          title={t.linkedEntries}
                        >
                          ☰ {t.linkedCount(task.logLinks.length)}
                        </button>
                      )}
                      {task.decisionLinks.length > 0 && (
                        <span>
                          ⚖ {decisions.filter((d) => task.decisionLinks.includes(d.id)).map((d) => d.title).join(', ')}
                        </span>
                      )}
                    </p>
                  )}
                  {!readOnly && (
                    <button type="button" class="small ghost card-edit" onClick={() => setEditing(task.id)} aria-label={`${t.edit} : ${task.title}`}>
                      ✎ {t.edit}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
      {editingTask && !readOnly && <TaskEditor key={editingTask.id} open={open} task={editingTask} decisions={decisions} people={people} onClose={() => { setEditing(null); setFocusId(editingTask.id); }} onRevealEntry={onRevealEntry} />}
    </section>
  );
}

/** The priority picker of the new-task form and the task editor. */
function PriorityField({ value, onChange }: { value: Priority; onChange: (p: Priority) => void }) {
  const { t, enums } = useI18n();
  return (
    <label class="field">
      <span>{t.priority}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Priority)}>
        {PRIORITIES.map((p) => (
          <option value={p}>{enums.priority[p]}</option>
        ))}
      </select>
    </label>
  );
}

function PeopleList({ id, people }: { id: string; people: string[] }) {
  return (
    <datalist id={id}>
      {people.map((p) => (
        <option value={p} />
      ))}
    </datalist>
  );
}

function NewTaskForm({ open, people, addRef }: { open: OpenIncident; people: string[]; addRef: { current: HTMLInputElement | null } }) {
  const { t, enums } = useI18n();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!title.trim()) return;
    const time = due.trim() ? parseTime(due.trim()) : null;
    if (due.trim() && !time) {
      setError(t.invalidTime);
      return;
    }
    const task = open.session.createTask({
      title: title.trim(),
      priority,
      assignee: assignee.trim() || null,
      dueAt: time ? resolveDueTime(time, open.session.now()).toISOString() : null,
    });
    open.marks.add('tasks', task.id);
    setTitle('');
    setAssignee('');
    setDue('');
    setPriority('normal');
    setError(null);
    addRef.current?.focus();
  };
  return (
    <form class="new-item" onSubmit={submit} aria-label={t.newTask}>
      <label class="field grow">
        <span>
          {t.newTask} <Kbd>Alt+A</Kbd>
        </span>
        <input ref={addRef} id="new-task-title" value={title} maxLength={300} placeholder={t.taskTitlePlaceholder} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <PriorityField value={priority} onChange={setPriority} />
      <label class="field">
        <span>{t.assignee}</span>
        <input value={assignee} list="people-list" maxLength={120} placeholder={t.assigneePlaceholder} onInput={(e) => setAssignee(e.currentTarget.value)} />
      </label>
      <label class="field time">
        <span>{t.due}</span>
        <input value={due} placeholder={t.duePlaceholder} maxLength={5} inputMode="numeric" aria-invalid={error !== null} onInput={(e) => setDue(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={!title.trim()}>
        {t.addTask}
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
      <PeopleList id="people-list" people={people} />
    </form>
  );
}

function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function TaskEditor({
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
  const [search, setSearch] = useState('');
  const firstRef = useRef<HTMLInputElement>(null);
  const logTick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('log', n), [open.session]));
  const entries = useMemo(() => open.session.log.entries(), [open.session, logTick]);
  const byId = useMemo(() => new Map(entries.map((e) => [e.id, e] as const)), [entries]);
  const matches = useMemo(() => {
    const q = fold(search.trim());
    if (!q) return [] as LogEntry[];
    const out: LogEntry[] = [];
    for (let i = entries.length - 1; i >= 0 && out.length < 6; i--) {
      const e = entries[i]!;
      if (!task.logLinks.includes(e.id) && fold(e.text).includes(q)) out.push(e);
    }
    return out;
  }, [entries, search, task.logLinks]);

  useEffect(() => firstRef.current?.focus(), []);

  const patch = (p: TaskPatch) => {
    open.session.updateTask(task.id, p);
    open.marks.add('tasks', task.id);
  };

  const save = (e: Event) => {
    e.preventDefault();
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
    <div class="panel-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="panel" role="dialog" aria-modal="true" aria-labelledby="task-editor-title">
      <form
        class="panel-form"
        onSubmit={save}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <h2 id="task-editor-title">{t.edit}</h2>
        <label class="field">
          <span>{t.taskTitle}</span>
          <input ref={firstRef} value={title} maxLength={300} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.description}</span>
          <textarea rows={3} value={description} maxLength={10_000} onInput={(e) => setDescription(e.currentTarget.value)} />
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
        <div class="panel-actions">
          <button type="button" class="ghost" onClick={onClose}>
            {t.close}
          </button>
          <button type="submit" class="primary">
            {t.save}
          </button>
        </div>
      </form>
      </div>
    </div>
  );
}

export { OPEN as OPEN_STATUSES, PRIORITY_RANK };
