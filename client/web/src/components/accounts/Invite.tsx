import { useEffect, useState } from 'preact/hooks';
import { InvitationInfo, acceptInvitation, describeInvitation } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { leaveLinkPage } from '../../router';
import { AuthLayout, FormError } from './AuthLayout';
import { useI18n } from '../common/common';
import { NewPasswordFields, passwordProblem } from './NewPassword';

/**
 * /invite#token=…: the invited person sees the e-mail the invitation is for, chooses their
 * name as colleagues will see it and a password, and is logged in.
 */
export function Invite({ token }: { token: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [invalid, setInvalid] = useState<string | null>(token ? null : t.inviteInvalid);
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    describeInvitation(token).then(
      (i) => {
        setInfo(i);
        setDisplayName(i.displayName ?? '');
      },
      (err: unknown) => setInvalid(err instanceof OfflineError ? t.serverUnreachable : t.inviteInvalid),
    );
    // The token is read once from the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!token) return;
    const problem = passwordProblem(password, confirm, t);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await acceptInvitation({ token, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) });
      leaveLinkPage();
    } catch (err) {
      setError(
        err instanceof OfflineError
          ? t.serverUnreachable
          : err instanceof ApiError && (err.code === 'UNAUTHENTICATED' || err.code === 'CONFLICT')
            ? t.inviteInvalid
            : err instanceof ApiError && err.code === 'BAD_REQUEST'
              ? t.checkFields
              : `${t.inviteFailed} : ${err instanceof Error ? err.message : String(err)}`,
      );
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t.inviteTitle} testId="invite-page">
      {invalid && (
        <p class="banner warn" role="alert">
          {invalid}
        </p>
      )}
      {!invalid && !info && <p class="muted">{t.listLoading}</p>}
      {info && (
        <>
          <p>
            {t.inviteFor} <strong data-testid="invite-email">{info.email}</strong>
            <br />
            <span class="muted">
              {t.inviteValidUntil} {i18n.dateTime(info.expiresAt)}
            </span>
          </p>
          <form class="auth-form" onSubmit={submit} noValidate>
            <label class="field">
              <span>{t.displayName}</span>
              <input id="invite-name" required maxLength={120} autoComplete="name" autoFocus value={displayName} readOnly={info?.displayName != null} aria-describedby="name-help" onInput={(e) => setDisplayName(e.currentTarget.value)} />
              <small id="name-help" class="muted">
                {t.displayNameHelp}
              </small>
            </label>
            <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
            <FormError message={error} />
            <button type="submit" class="primary" disabled={busy || !displayName.trim() || !password}>
              {t.inviteButton}
            </button>
          </form>
        </>
      )}
    </AuthLayout>
  );
}
