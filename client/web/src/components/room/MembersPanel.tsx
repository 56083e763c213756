import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PersonView } from '../../../../../shared/auth/schemas';
import { INCIDENT_ROLES, IncidentRole, isExerciseRole } from '../../../../../shared/auth/roles';

/** The roles offered: animator and evaluator in an exercise only (the server refuses them elsewhere: NOT_AN_EXERCISE). */
const rolesFor = (exercise: boolean): IncidentRole[] => INCIDENT_ROLES.filter((r) => exercise || !isExerciseRole(r));
import { listPeople, removeMember, setMember } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import type { Members } from '../../members';
import { FormError } from '../accounts/AuthLayout';
import { useI18n } from '../common/common';
import { IncidentInvitations } from './IncidentInvitations';

function errorText(err: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (err instanceof OfflineError) return t.serverUnreachable;
  if (err instanceof ApiError && err.code === 'CONFLICT') return t.keepADirector;
  if (err instanceof ApiError && err.code === 'FORBIDDEN') return t.directorsOnly;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Who is in the incident, with their role. Directors (and administrators) add people from the
 * accounts, change roles and remove members; everyone else sees the list.
 */
export function MembersPanel({ incidentId, members, canManage, meId, exercise = false }: { incidentId: string; members: Members; canManage: boolean; meId: string; exercise?: boolean }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const [users, setUsers] = useState<Array<PersonView & { disabled?: boolean; email?: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!canManage) return;
    let alive = true;
    listPeople().then(
      (u) => alive && setUsers(u),
      (err: unknown) => alive && setError(errorText(err, t)),
    );
    return () => {
      alive = false;
    };
  }, [canManage, t]);

  const candidates = useMemo(() => {
    const inIncident = new Set((members.list ?? []).map((m) => m.userId));
    return (users ?? []).filter((u) => !u.disabled && !inIncident.has(u.id)).sort((a, b) => a.displayName.localeCompare(b.displayName));
  }, [users, members.list]);

  /** Runs a change, then reloads the members; says whether it went through (the error is shown otherwise). */
  const act = async (what: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await what();
      members.reload();
      return true;
    } catch (err) {
      setError(errorText(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const list = members.list;
  return (
    <section class="members" aria-labelledby="members-title" data-testid="members-panel">
      <h2 id="members-title">{t.viewMembers}</h2>
      {list === null && <p class="muted">{members.status === 'offline' ? t.serverUnreachable : t.listLoading}</p>}
      {list && (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t.displayName}</th>
              <th scope="col">{t.email}</th>
              <th scope="col">{t.role}</th>
              <th scope="col">{t.since}</th>
              {canManage && (
                <th scope="col">
                  <span class="sr-only">{t.actions}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr data-testid="member" data-user-id={m.userId} data-role={m.role}>
                <th scope="row">
                  {m.displayName}
                  {m.userId === meId && <span class="muted"> ({t.you})</span>}
                </th>
                <td>{m.email}</td>
                <td>
                  {canManage ? (
                    <select
                      aria-label={`${t.role} — ${m.displayName}`}
                      value={m.role}
                      disabled={busy}
                      data-testid="member-role"
                      onChange={(e) => {
                        const role = e.currentTarget.value as IncidentRole;
                        void act(() => setMember(incidentId, m.userId, role));
                      }}
                    >
                      {rolesFor(exercise || isExerciseRole(m.role)).map((r) => (
                        <option value={r}>{enums.role[r]}</option>
                      ))}
                    </select>
                  ) : (
                    <span class={`badge role-${m.role}`}>{enums.role[m.role]}</span>
                  )}
                </td>
                <td>
                  <time dateTime={m.grantedAt}>{i18n.dateTime(m.grantedAt)}</time>
                </td>
                {canManage && (
                  <td>
                    <button type="button" class="small" disabled={busy} data-testid="member-remove" onClick={() => void act(() => removeMember(incidentId, m.userId))}>
                      {t.remove}
                      <span class="sr-only"> {m.displayName}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted role-help">{t.rolesHelp}</p>
      {canManage && <AddMemberForm roles={rolesFor(exercise)} candidates={candidates} loading={users === null} busy={busy} onAdd={(userId, role) => act(() => setMember(incidentId, userId, role))} />}
      <FormError message={error} />
      {canManage && <IncidentInvitations incidentId={incidentId} />}
    </section>
  );
}

/** A director adds someone from the accounts, with a role. */
function AddMemberForm({ roles, candidates, loading, busy, onAdd }: { roles: IncidentRole[]; candidates: Array<PersonView & { email?: string }>; loading: boolean; busy: boolean; onAdd: (userId: string, role: IncidentRole) => Promise<boolean> }) {
  const { t, enums } = useI18n();
  const [adding, setAdding] = useState('');
  const [addRole, setAddRole] = useState<IncidentRole>('member');
  return (
    <form
      class="row add-member"
      aria-label={t.addMember}
      onSubmit={(e) => {
        e.preventDefault();
        if (!adding) return;
        void onAdd(adding, addRole).then((done) => done && setAdding(''));
      }}
    >
      <label class="field grow">
        <span>{t.addMember}</span>
        <select id="add-member-user" value={adding} onChange={(e) => setAdding(e.currentTarget.value)} disabled={loading}>
          <option value="">{candidates.length === 0 && !loading ? t.nobodyToAdd : t.chooseUser}</option>
          {candidates.map((u) => (
            <option value={u.id}>{u.email ? `${u.displayName} — ${u.email}` : u.displayName}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t.role}</span>
        <select id="add-member-role" value={addRole} onChange={(e) => setAddRole(e.currentTarget.value as IncidentRole)}>
          {roles.map((r) => (
            <option value={r}>{enums.role[r]}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={busy || !adding}>
        {t.add}
      </button>
    </form>
  );
}
