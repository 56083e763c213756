import { useEffect, useState } from 'preact/hooks';
import { getAuthStatus, setupAdmin } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { leaveLinkPage } from '../../router';
import { AuthLayout, FormError } from './AuthLayout';
import { useI18n } from '../common/common';
import { NewPasswordFields, passwordProblem } from './NewPassword';

/**
 * /setup#token=…: the one-time link the server prints at its first start (without
 * ADMIN_EMAIL/ADMIN_PASSWORD) creates the administrator and logs them in.
 */
export function Setup({ token }: { token: string | null }) {
  const { t } = useI18n();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** An administrator exists already: the link was used (by this person, most often). */
  const [used, setUsed] = useState(false);
  useEffect(() => {
    if (!token) return;
    getAuthStatus().then(
      (s) => setUsed(!s.setupRequired),
      () => undefined,
    );
  }, [token]);

  if (!token) return <SetupRequired />;
  if (used) return <SetupUsed />;

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = passwordProblem(password, confirm, t);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await setupAdmin({ token, email: email.trim(), password, displayName: displayName.trim() });
      leaveLinkPage();
    } catch (err) {
      // Refused because an administrator now exists: say so (sign in), not "restart the server".
      if (err instanceof ApiError && err.code === 'UNAUTHENTICATED' && !(await getAuthStatus().catch(() => ({ setupRequired: true }))).setupRequired) {
        setUsed(true);
        setBusy(false);
        return;
      }
      setError(
        err instanceof OfflineError
          ? t.serverUnreachable
          : err instanceof ApiError && err.code === 'UNAUTHENTICATED'
            ? t.setupLinkInvalid
            : err instanceof ApiError && err.code === 'BAD_REQUEST'
              ? t.checkFields
              : `${t.setupFailed}${t.colon} ${err instanceof Error ? err.message : String(err)}`,
      );
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t.setupTitle} testId="setup-page">
      <p>{t.setupIntro}</p>
      <form class="auth-form" onSubmit={submit} noValidate>
        <label class="field">
          <span>{t.displayName}</span>
          <input id="setup-name" required maxLength={120} autoComplete="name" autoFocus value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.email}</span>
          <input id="setup-email" type="email" required maxLength={254} autoComplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
        <FormError message={error} />
        <button type="submit" class="primary" disabled={busy || !displayName.trim() || !email.trim() || !password}>
          {t.setupButton}
        </button>
      </form>
    </AuthLayout>
  );
}

/** No account exists yet and no link was opened: say where the link is. */
export function SetupRequired() {
  const { t } = useI18n();
  return (
    <AuthLayout title={t.setupTitle} testId="setup-required">
      <p>{t.setupRequired}</p>
      <p class="muted">{t.setupRequiredEnv}</p>
    </AuthLayout>
  );
}

/** The link was used and an administrator exists: the way on is to sign in. */
function SetupUsed() {
  const { t } = useI18n();
  return (
    <AuthLayout title={t.setupTitle} testId="setup-used">
      <p role="alert">{t.friction.setupUsed}</p>
      <p>
        <button type="button" class="primary" data-testid="setup-sign-in" onClick={leaveLinkPage}>
          {t.friction.setupSignIn}
        </button>
      </p>
    </AuthLayout>
  );
}
