import { useState } from 'preact/hooks';
import type { LogEntry } from '../../../../../shared/model/log';
import type { Priority, Task } from '../../../../../shared/model/tasks';
import type { OpenIncident } from '../../connection';
import { parseTime, resolveDueTime } from '../../quickEntry';
import { Kbd, useI18n } from '../common/common';
import { PeopleList, PriorityField } from './taskFields';
import { InjectLinkChip } from './InjectLinks';
import { injectToLink } from './taskData';
import { textStart } from '../log/injectText';

interface NewTaskProps {
  open: OpenIncident;
  people: string[];
  addRef: { current: HTMLInputElement | null };
  /** The exercise's injects (none in a real incident) and the tasks, to offer the latest inject no task answers yet. */
  injects: LogEntry[];
  tasks: Task[];
}

/**
 * The line above the board: a title, Enter, and the task is on the board (priority, assignee and
 * due time optional). In an exercise, Alt+I (or the button) links it to the latest inject no task
 * answers yet, and again unlinks it.
 */
export function NewTaskForm({ open, people, addRef, injects, tasks }: NewTaskProps) {
  const { t } = useI18n();
  const [inject, setInject] = useState<LogEntry | null>(null);
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
      logLinks: inject ? [inject.id] : [],
    });
    open.marks.add('tasks', task.id);
    setTitle('');
    setAssignee('');
    setDue('');
    setPriority('normal');
    setError(null);
    setInject(null);
    addRef.current?.focus();
  };
  const toggleInject = () => {
    if (inject) {
      setInject(null);
      return;
    }
    const next = injectToLink(injects, tasks.flatMap((x) => x.logLinks));
    if (!next) setError(t.noInjectToLink);
    else {
      setInject(next);
      setError(null);
      if (!title.trim()) setTitle(textStart(next.text, 120));
    }
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === 'KeyI' && injects.length > 0) {
      ev.preventDefault();
      toggleInject();
    }
  };
  return (
    <form class="new-item" onSubmit={submit} onKeyDown={onKeyDown} aria-label={t.newTask}>
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
      {injects.length > 0 && <InjectLinkChip inject={inject} onToggle={toggleInject} />}
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
