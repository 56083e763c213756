import { useState } from 'preact/hooks';
import { DEFAULT_ADMIN_NAME, type MeReply } from '../../../../../shared/auth/schemas';
import { renameMe } from '../../authApi';
import { ApiError, OfflineError } from '../../http';
import { signedIn } from '../../session';
import { useI18n } from '../common/common';

/** Whether the account still bears the placeholder name of an administrator made from ADMIN_EMAIL. */
export function needsName(me: MeReply): boolean {
  return me.user.displayName === DEFAULT_ADMIN_NAME;
}

/**
 * The first administrator created from ADMIN_EMAIL without ADMIN_NAME is "Administrator" until
 * they say who they are: asked here, above the incident list where a sign-in lands, until they have (their name signs every
 * log entry and export).
 */
export function NamePrompt({ me }: { me: MeReply }) {
  const { t } = useI18n();
  const w = t.friction;
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      signedIn(await renameMe(name.trim()));
    } catch (err) {
      setError(`${w.nameFailed} — ${err instanceof OfflineError ? t.serverUnreachable : err instanceof ApiError ? err.message : String(err)}`);
      setBusy(false);
    }
  };
  return (
    <form class="banner warn row name-prompt" data-testid="name-prompt" onSubmit={submit} aria-labelledby="name-prompt-text">
      <span id="name-prompt-text">{w.namePrompt(me.user.displayName)}</span>
      <label class="field">
        <span>{w.setupName}</span>
        <input data-testid="name-prompt-input" required maxLength={120} autoComplete="name" placeholder={w.setupNamePlaceholder} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary small" disabled={busy || !name.trim()}>
        {w.nameSave}
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
