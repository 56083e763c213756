import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { LangSwitch, useI18n } from '../common/common';

/** The frame of the pages seen before the app: login, set-up, invitation. */
export function AuthLayout({ title, testId, children }: { title: string; testId: string; children: ComponentChildren }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} — ${t.appTitle}`;
  }, [title, t]);
  return (
    <main class="auth-page" data-testid={testId}>
      <div class="auth-box">
        <div class="auth-top">
          <p class="auth-app">{t.appTitle}</p>
          <LangSwitch />
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** A form error, read out by screen readers as it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="error" role="alert" data-testid="form-error">
      {message}
    </p>
  );
}
