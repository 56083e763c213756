import { useI18n } from '../common/common';

/** At least this many characters: the server's rule (NewPasswordSchema). */
export const MIN_PASSWORD = 12;

/** What is wrong with a new password and its confirmation, or null. */
export function passwordProblem(password: string, confirm: string, t: ReturnType<typeof useI18n>['t']): string | null {
  if (password.length < MIN_PASSWORD) return t.passwordTooShort(MIN_PASSWORD);
  if (password !== confirm) return t.passwordsDiffer;
  return null;
}

/** A new password and its confirmation, with the rule stated up front. */
export function NewPasswordFields({ password, confirm, onPassword, onConfirm }: { password: string; confirm: string; onPassword: (v: string) => void; onConfirm: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label class="field">
        <span>{t.newPassword}</span>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          maxLength={256}
          value={password}
          aria-describedby="password-rule"
          onInput={(e) => onPassword(e.currentTarget.value)}
        />
        <small id="password-rule" class="muted">
          {t.passwordRule(MIN_PASSWORD)}
        </small>
      </label>
      <label class="field">
        <span>{t.confirmPassword}</span>
        <input id="confirm-password" type="password" autoComplete="new-password" required maxLength={256} value={confirm} onInput={(e) => onConfirm(e.currentTarget.value)} />
      </label>
    </>
  );
}
