import { useEffect, useState } from 'preact/hooks';
import type { InvitationView } from '../../../../../shared/auth/schemas';
import { INCIDENT_ROLES, type IncidentRole } from '../../../../../shared/auth/roles';
import { type CreatedInvite, createInvitation, listInvitations, revokeInvitation } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { FormError } from '../accounts/AuthLayout';
import { CopyField } from '../common/CopyField';
import { useI18n } from '../common/common';

/**
 * In an incident's Members tab, for administrators: invite a person who has no account yet
 * straight into this incident with a role (one step: the invitation grants it on acceptance),
 * and the invitations still pending for this incident, each revocable. Shows nothing to anyone
 * the server does not let list invitations.
 */
export function IncidentInvitations({ incidentId }: { incidentId: string }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const w = t.friction;
  const [pending, setPending] = useState<InvitationView[] | null>(null);
  const [allowed, setAllowed] = useState(true);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<IncidentRole>('member');
  const [made, setMade] = useState<(CreatedInvite & { email: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = () =>
    listInvitations().then(
      (all) => setPending(all.filter((i) => i.incident?.id === incidentId)),
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'FORBIDDEN') setAllowed(false);
        else setError(err instanceof OfflineError ? t.serverUnreachable : String(err instanceof Error ? err.message : err));
      },
    );
  useEffect(() => {
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId]);

  if (!allowed) return null;
  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      await reload();
    } catch (err) {
      setError(err instanceof OfflineError ? t.serverUnreachable : err instanceof ApiError ? `${err.code}${t.colon} ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card-box invitations" aria-labelledby="invite-title" data-testid="incident-invitations">
      <h3 id="invite-title">{w.inviteTitle}</h3>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!email.trim()) return;
          const to = email.trim();
          void act(async () => {
            const created = await createInvitation({ email: to, admin: false, ...(name.trim() ? { displayName: name.trim() } : {}), incident: { id: incidentId, role } });
            setMade({ ...created, email: to });
            setEmail('');
            setName('');
          });
        }}
      >
        <label class="field grow">
          <span>{t.email}</span>
          <input type="email" data-testid="invite-email" required maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{w.inviteNameOptional}</span>
          <input data-testid="invite-name" maxLength={120} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.role}</span>
          <select data-testid="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as IncidentRole)}>
            {INCIDENT_ROLES.map((r) => (
              <option value={r}>{enums.role[r]}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" data-testid="invite-create" disabled={busy || !email.trim()}>
          {w.inviteButton}
        </button>
      </form>
      {made && (
        <div role="status" data-testid="invite-made">
          <p>{w.inviteMade(made.email)}</p>
          <CopyField id="incident-invite-link" label={w.inviteLink} value={made.url} testId="invite-link" />
        </div>
      )}
      <h3>{w.pendingTitle}</h3>
      {pending !== null && pending.length === 0 && <p class="muted">{w.pendingNone}</p>}
      {pending !== null && pending.length > 0 && (
        <ul class="pending-invitations">
          {pending.map((i) => (
            <li data-testid="pending-invitation" data-email={i.email}>
              {i.displayName ? `${i.displayName} — ${i.email}` : i.email} · <span class={`badge role-${i.incident!.role}`}>{enums.role[i.incident!.role]}</span> · <span class="muted">{w.pendingUntil(i18n.dateTime(i.expiresAt))}</span>{' '}
              <button type="button" class="small" data-testid="invitation-revoke" disabled={busy} onClick={() => void act(() => revokeInvitation(i.id))}>
                {w.revoke}
                <span class="sr-only"> {i.email}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError message={error} />
    </section>
  );
}
