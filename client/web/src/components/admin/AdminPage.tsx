import { useEffect, useState } from 'preact/hooks';
import type { MeReply, UserView } from '../../../../../shared/auth/schemas';
import { CreatedInvite, createInvitation, listUsers, updateUser } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { AuditTable } from './AuditTable';
import { FormError } from '../accounts/AuthLayout';
import { CopyField } from '../common/CopyField';
import { useI18n } from '../common/common';
import { UserBar } from '../common/UserBar';

function errorText(err: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (err instanceof OfflineError) return t.serverUnreachable;
  if (err instanceof ApiError && err.code === 'CONFLICT') return t.accountExists;
  if (err instanceof ApiError && err.code === 'BAD_REQUEST') return t.checkFields;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Administrators: invite people (the one-time link is shown to be handed on: there is no
 * e-mail on an isolated network), disable accounts, grant administration, read the whole
 * audit trail.
 */
export function AdminPage({ me }: { me: MeReply }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t.administration} — ${t.appTitle}`;
  }, [t]);
  return (
    <div class="list-page">
      <header class="list-head">
        <h1>{t.administration}</h1>
        <UserBar me={me} current="admin" />
      </header>
      {me.user.admin ? (
        <main class="list-main">
          <InviteForm />
          <UsersTable me={me} />
          <section class="card-box">
            <AuditTable scope="all" />
          </section>
        </main>
      ) : (
        <p class="banner warn" role="alert">
          {t.adminsOnly}
        </p>
      )}
    </div>
  );
}

function InviteForm() {
  const i18n = useI18n();
  const { t } = i18n;
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [admin, setAdmin] = useState(false);
  const [hours, setHours] = useState(72);
  const [created, setCreated] = useState<(CreatedInvite & { email: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invite = await createInvitation({ email: email.trim(), ...(displayName.trim() ? { displayName: displayName.trim() } : {}), admin, expiresInHours: hours });
      setCreated({ ...invite, email: email.trim() });
      setEmail('');
      setDisplayName('');
      setAdmin(false);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card-box" aria-labelledby="invite-title">
      <h2 id="invite-title">{t.invitePerson}</h2>
      <p class="muted">{t.inviteHelp}</p>
      <form class="row" onSubmit={submit}>
        <label class="field grow">
          <span>{t.email}</span>
          <input id="invite-email" type="email" required maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field grow">
          <span>{t.displayName}</span>
          <input id="invite-display-name" maxLength={120} value={displayName} placeholder={t.optional} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.validity}</span>
          <select value={hours} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            {[24, 72, 168].map((h) => (
              <option value={h}>{t.hours(h)}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.currentTarget.checked)} />
          <span>{t.makeAdmin}</span>
        </label>
        <button type="submit" class="primary" disabled={busy || !email.trim()}>
          {t.createInvite}
        </button>
      </form>
      <FormError message={error} />
      {created && (
        <div class="secret-box" role="status">
          <CopyField id="invite-link" label={`${t.inviteLinkFor} ${created.email}`} value={created.url} testId="invite-link" />
          <p class="muted">
            {t.inviteLinkHelp} {i18n.dateTime(created.expiresAt)}.
          </p>
        </div>
      )}
    </section>
  );
}

function UsersTable({ me }: { me: MeReply }) {
  const { t } = useI18n();
  const [users, setUsers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () =>
    listUsers().then(
      (u) => setUsers(u),
      (err: unknown) => setError(errorText(err, t)),
    );
  useEffect(() => {
    void load();
    // Loaded once; each change reloads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const change = async (user: UserView, patch: { disabled?: boolean; admin?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      await updateUser(user.id, patch);
      await load();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card-box" aria-labelledby="users-title">
      <h2 id="users-title">{t.accounts}</h2>
      <FormError message={error} />
      {users === null && !error && <p class="muted">{t.listLoading}</p>}
      {users && (
        <div class="table-scroll">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{t.displayName}</th>
                <th scope="col">{t.email}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">
                  <span class="sr-only">{t.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr data-testid="user" data-email={u.email} data-disabled={u.disabled} class={u.disabled ? 'disabled-row' : ''}>
                  <th scope="row">{u.displayName}</th>
                  <td>{u.email}</td>
                  <td>
                    {u.disabled ? <span class="badge">{t.disabled}</span> : <span class="badge ok">{t.active}</span>} {u.admin && <span class="badge">{t.adminBadge}</span>}{' '}
                    {u.totpEnabled && <span class="badge">TOTP</span>}
                  </td>
                  <td class="actions">
                    {u.id === me.user.id ? (
                      <span class="muted">{t.you}</span>
                    ) : (
                      <>
                        <button type="button" class="small" disabled={busy} data-testid="toggle-disabled" onClick={() => void change(u, { disabled: !u.disabled })}>
                          {u.disabled ? t.enableAccount : t.disableAccount}
                          <span class="sr-only"> {u.displayName}</span>
                        </button>{' '}
                        <button type="button" class="small ghost" disabled={busy} onClick={() => void change(u, { admin: !u.admin })}>
                          {u.admin ? t.revokeAdmin : t.grantAdmin}
                          <span class="sr-only"> {u.displayName}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
