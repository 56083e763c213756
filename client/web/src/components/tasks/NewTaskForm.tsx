import { useState } from 'preact/hooks';
import type { Priority } from '../../../../../shared/model/tasks';
import type { OpenIncident } from '../../connection';
import { parseTime, resolveDueTime } from '../../quickEntry';
import { Kbd, useI18n } from '../common/common';
import { PeopleList, PriorityField } from './taskFields';

/** The line above the board: a title, Enter, and the task is on the board (priority, assignee and due time optional). */
export function NewTaskForm({ open, people, addRef }: { open: OpenIncident; people: string[]; addRef: { current: HTMLInputElement | null } }) {
  const { t } = useI18n();
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
