import { PRIORITIES, Priority } from '../../../../../shared/model/tasks';
import { useI18n } from '../common/common';

/** The priority picker of the new-task form and the task editor. */
export function PriorityField({ value, onChange }: { value: Priority; onChange: (p: Priority) => void }) {
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

/** The names offered to an assignee field. */
export function PeopleList({ id, people }: { id: string; people: string[] }) {
  return (
    <datalist id={id}>
      {people.map((p) => (
        <option value={p} />
      ))}
    </datalist>
  );
}
