import { useEffect, useState } from 'preact/hooks';
import type { MemberView } from '../../../../../shared/auth/schemas';
import { isExerciseRole } from '../../../../../shared/auth/roles';
import { useI18n } from '../common/common';

type Role = { id: string; label: string };

/** One functional role of the scenario and the members who play it: ticked, then saved. */
function RoleFieldset({ role, players, holders, onSave }: { role: Role; players: MemberView[]; holders: string[]; onSave: (roleId: string, userIds: string[]) => Promise<boolean> }) {
  const { t } = useI18n();
  const w = t.exercise;
  const [picked, setPicked] = useState(() => new Set(holders));
  const [dirty, setDirty] = useState(false);
  const holdersKey = holders.join(',');
  // The server's answer wins until this person starts ticking.
  useEffect(() => {
    if (!dirty) setPicked(new Set(holders));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the joined ids say when the holders changed
  }, [holdersKey, dirty]);
  const toggle = (userId: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(userId);
    else next.delete(userId);
    setPicked(next);
    setDirty(true);
  };
  return (
    <fieldset data-testid="role-holders" data-role={role.id}>
      <legend>{role.label}</legend>
      {players.length === 0 && <p class="muted">{w.rolesNone}</p>}
      {players.map((m) => (
        <label key={m.userId}>
          <input type="checkbox" checked={picked.has(m.userId)} data-user={m.userId} onChange={(ev) => toggle(m.userId, ev.currentTarget.checked)} />
          {m.displayName}
        </label>
      ))}
      <div>
        <button
          type="button"
          class="small"
          disabled={!dirty}
          data-testid="role-save"
          onClick={() => void onSave(role.id, [...picked]).then((ok) => ok && setDirty(false))}
        >
          {w.rolesSave}
          <span class="sr-only"> — {w.rolesEdit(role.label)}</span>
        </button>
      </div>
    </fieldset>
  );
}

/** Who plays which functional role: an inject addressed to a role becomes a notice to them. */
export function RoleHolders({ roles, holders, members, onSave }: { roles: Role[]; holders: Record<string, string[]>; members: MemberView[]; onSave: (roleId: string, userIds: string[]) => Promise<boolean> }) {
  const { t } = useI18n();
  const w = t.exercise;
  // The players: animators and evaluators play no role of the cell.
  const players = members.filter((m) => !isExerciseRole(m.role)).sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <section class="card-box" aria-labelledby="roles-title">
      <h2 id="roles-title">{w.rolesTitle}</h2>
      <p class="muted">{w.rolesHelp}</p>
      <div class="role-holders">
        {roles.map((r) => (
          <RoleFieldset key={r.id} role={r} players={players} holders={holders[r.id] ?? []} onSave={onSave} />
        ))}
      </div>
    </section>
  );
}
