import { useEffect, useRef, useState } from 'preact/hooks';
import { login } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { LoginNotice, signedIn } from '../../session';
import type { I18n } from '../../i18n';
import { AuthLayout, FormError } from './AuthLayout';
import { useI18n } from '../common/common';

/** What a failed login means for the person at the keyboard. */
export function loginErrorMessage(err: unknown, t: I18n['t']): string {
  if (err instanceof OfflineError) return t.serverUnreachable;
  if (err instanceof ApiError) {
    if (err.code === 'UNAUTHENTICATED') return t.wrongCredentials;
    if (err.code === 'TOTP_REQUIRED') return t.wrongTotp;
    if (err.code === 'RATE_LIMITED') return t.tooManyAttempts(err.retryAfterSeconds ?? 60);
    if (err.code === 'FORBIDDEN') return t.csrfRefused;
    if (err.code === 'BAD_REQUEST') return t.checkFields;
    return `${t.loginFailed} : ${err.message}`;
  }
  return t.loginFailed;
}

/**
 * E-mail and password, then the authenticator code when the account has one. A throttled
 * account waits out Retry-After with the button disabled and a countdown.
 */
export function Login({ notice }: { notice: LoginNotice }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState(0);
  const [now, setNow] = useState(Date.now());
  const totpRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (waitUntil <= Date.now()) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const waiting = Math.max(0, Math.ceil((waitUntil - now) / 1000));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || waiting > 0) return;
    setBusy(true);
    setError(null);
    try {
      signedIn(await login({ email: email.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED' && !needTotp) {
        setNeedTotp(true);
      } else {
        if (err instanceof ApiError && err.code === 'RATE_LIMITED') {
          // The countdown below says it, and goes away when the wait is over.
          setWaitUntil(Date.now() + (err.retryAfterSeconds ?? 60) * 1000);
          setNow(Date.now());
        } else {
          setError(loginErrorMessage(err, t));
        }
        if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
          setPassword('');
          setTotp('');
          setNeedTotp(false);
          passwordRef.current?.focus();
        } else if (needTotp) {
          setTotp('');
          totpRef.current?.focus();
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const noticeText = notice === 'expired' ? t.sessionExpired : notice === 'loggedOut' ? t.loggedOut : notice === 'accountDisabled' ? t.endAccountDisabled : notice === 'offline' ? t.serverUnreachable : notice === 'serverError' ? t.serverError : null;

  return (
    <AuthLayout title={t.loginTitle} testId="login-page">
      {noticeText && !error && (
        <p class={`banner ${notice === 'loggedOut' ? 'info' : 'warn'}`} role="status">
          {noticeText}
        </p>
      )}
      <form class="auth-form" onSubmit={submit} noValidate>
        <label class="field">
          <span>{t.email}</span>
          <input id="login-email" type="email" autoComplete="username" required autoFocus value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.password}</span>
          <input ref={passwordRef} id="login-password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {needTotp && (
          <label class="field">
            <span>{t.totpCode}</span>
            <input
              ref={totpRef}
              id="login-totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={totp}
              aria-describedby="totp-help"
              onInput={(e) => setTotp(e.currentTarget.value.replace(/\D/g, ''))}
            />
            <small id="totp-help" class="muted">
              {t.totpHelp}
            </small>
          </label>
        )}
        <FormError message={waiting > 0 ? t.tooManyAttempts(waiting) : error} />
        <button type="submit" class="primary" disabled={busy || waiting > 0 || !email.trim() || !password || (needTotp && totp.length !== 6)}>
          {busy ? t.loggingIn : t.loginButton}
        </button>
      </form>
      <p class="muted">{t.noAccount}</p>
    </AuthLayout>
  );
}
