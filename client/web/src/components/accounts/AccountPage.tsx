import { useEffect, useState } from 'preact/hooks';
import type { MeReply, TokenView } from '../../../../../shared/auth/schemas';
import { CreatedToken, beginTotp, createToken, disableTotp, enableTotp, getMe, listTokens, revokeToken } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { signedIn } from '../../session';
import { FormError } from './AuthLayout';
import { CopyField } from '../common/CopyField';
import { useI18n } from '../common/common';
import { UserBar } from '../common/UserBar';

function errorText(err: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (err instanceof OfflineError) return t.serverUnreachable;
  if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') return t.wrongTotp;
  if (err instanceof ApiError && err.code === 'BAD_REQUEST') return t.checkFields;
  return err instanceof Error ? err.message : String(err);
}

/** My account: who I am, my API tokens (for scripts and monitoring), the second factor. */
export function AccountPage({ me }: { me: MeReply }) {
  const i18n = useI18n();
  const { t } = i18n;
  useEffect(() => {
    document.title = `${t.account} — ${t.appTitle}`;
  }, [t]);
  return (
    <div class="list-page">
      <header class="list-head">
        <h1>{t.account}</h1>
        <UserBar me={me} current="account" />
      </header>
      <main class="list-main">
        <section class="card-box" aria-labelledby="identity-title">
          <h2 id="identity-title">{t.identity}</h2>
          <dl class="facts">
            <dt>{t.displayName}</dt>
            <dd>{me.user.displayName}</dd>
            <dt>{t.email}</dt>
            <dd>{me.user.email}</dd>
            {me.user.admin && (
              <>
                <dt>{t.state}</dt>
                <dd>{t.adminBadge}</dd>
              </>
            )}
            {me.expiresAt && (
              <>
                <dt>{t.sessionUntil}</dt>
                <dd>{i18n.dateTime(me.expiresAt)}</dd>
              </>
            )}
          </dl>
        </section>
        <Tokens />
        <Totp me={me} />
      </main>
    </div>
  );
}

function Tokens() {
  const i18n = useI18n();
  const { t } = i18n;
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => listTokens().then(setTokens, (err: unknown) => setError(errorText(err, t)));
  useEffect(() => {
    void load();
    // Loaded once; each change reloads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      await load();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card-box" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t.apiTokens}</h2>
      <p class="muted">{t.apiTokensHelp}</p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const expiresInDays = days.trim() ? Number(days) : null;
          if (expiresInDays !== null && !(Number.isInteger(expiresInDays) && expiresInDays >= 1 && expiresInDays <= 3650)) return setError(t.checkFields);
          void run(async () => {
            setCreated(await createToken({ name: name.trim(), expiresInDays }));
            setName('');
            setDays('');
          });
        }}
      >
        <label class="field grow">
          <span>{t.tokenName}</span>
          <input id="token-name" required maxLength={100} value={name} placeholder={t.tokenNamePlaceholder} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t.tokenDays}</span>
          <input id="token-days" inputMode="numeric" maxLength={4} value={days} placeholder={t.never} onInput={(e) => setDays(e.currentTarget.value.replace(/\D/g, ''))} />
        </label>
        <button type="submit" class="primary" disabled={busy || !name.trim()}>
          {t.createToken}
        </button>
      </form>
      {created && (
        <div class="secret-box" role="status">
          <CopyField id="new-token" label={`${t.newTokenFor} « ${created.name} »`} value={created.token} testId="new-token" />
          <p class="warn-text">{t.tokenShownOnce}</p>
        </div>
      )}
      <FormError message={error} />
      {tokens && tokens.length === 0 && <p class="muted">{t.noTokens}</p>}
      {tokens && tokens.length > 0 && (
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t.tokenName}</th>
              <th scope="col">{t.created}</th>
              <th scope="col">{t.expires}</th>
              <th scope="col">{t.lastUsed}</th>
              <th scope="col">
                <span class="sr-only">{t.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...tokens].reverse().map((tok) => (
              <tr data-testid="token" data-revoked={tok.revokedAt !== null} class={tok.revokedAt ? 'disabled-row' : ''}>
                <th scope="row">{tok.name}</th>
                <td>{i18n.dateTime(tok.createdAt)}</td>
                <td>{tok.expiresAt ? i18n.dateTime(tok.expiresAt) : t.never}</td>
                <td>{tok.lastUsedAt ? i18n.dateTime(tok.lastUsedAt) : '—'}</td>
                <td>
                  {tok.revokedAt ? (
                    <span class="badge">
                      {t.revoked} {i18n.dateTime(tok.revokedAt)}
                    </span>
                  ) : (
                    <button type="button" class="small" disabled={busy} data-testid="revoke-token" onClick={() => void run(() => revokeToken(tok.id))}>
                      {t.revoke}
                      <span class="sr-only"> {tok.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The second factor (RFC 6238): a secret to type into an authenticator app, then a code to prove it works. */
function Totp({ me }: { me: MeReply }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const enabled = me.user.totpEnabled;

  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      setCode('');
      setPending(null);
      signedIn(await getMe());
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const codeField = (
    <label class="field">
      <span>{t.totpCode}</span>
      <input id="totp-code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))} />
    </label>
  );

  return (
    <section class="card-box" aria-labelledby="totp-title">
      <h2 id="totp-title">{t.totpTitle}</h2>
      <p>
        {enabled ? <span class="badge ok">{t.totpOn}</span> : <span class="badge">{t.totpOff}</span>} <span class="muted">{t.totpWhy}</span>
      </p>
      {me.via !== 'session' && <p class="muted">{t.totpNeedsPassword}</p>}
      {!enabled && !pending && me.via === 'session' && (
        <p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void beginTotp().then(
                (p) => setPending(p),
                (err: unknown) => setError(errorText(err, t)),
              )
            }
          >
            {t.totpStart}
          </button>
        </p>
      )}
      {pending && (
        <form
          class="totp-setup"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => enableTotp(code));
          }}
        >
          <p>{t.totpScan}</p>
          <CopyField id="totp-secret" label={t.totpSecret} value={pending.secret.replace(/(.{4})/g, '$1 ').trim()} testId="totp-secret" />
          <details>
            <summary>{t.totpUrl}</summary>
            <code class="wrap">{pending.otpauthUrl}</code>
          </details>
          <div class="row">
            {codeField}
            <button type="submit" class="primary" disabled={busy || code.length !== 6}>
              {t.totpEnable}
            </button>
          </div>
        </form>
      )}
      {enabled && me.via === 'session' && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => disableTotp(code));
          }}
        >
          {codeField}
          <button type="submit" disabled={busy || code.length !== 6}>
            {t.totpDisable}
          </button>
        </form>
      )}
      <FormError message={error} />
    </section>
  );
}
