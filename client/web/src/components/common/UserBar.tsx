import { useState } from 'preact/hooks';
import type { MeReply } from '../../../../../shared/auth/schemas';
import { href } from '../../router';
import { signOut } from '../../session';
import { LangSwitch, useI18n } from './common';

/** Who is logged in, the pages of the account, and logout: the end of every page header but the room's. */
export function UserBar({ me, current }: { me: MeReply; current?: 'list' | 'account' | 'admin' }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const link = (page: 'list' | 'account' | 'admin', label: string) =>
    current === page ? (
      <span class="nav-link" aria-current="page">
        {label}
      </span>
    ) : (
      <a class="nav-link" href={href({ page })}>
        {label}
      </a>
    );
  return (
    <div class="head-end user-bar">
      <nav class="nav-links" aria-label={t.accountMenu}>
        {link('list', t.incidents)}
        {link('account', t.account)}
        {me.user.admin && link('admin', t.administration)}
      </nav>
      <LangSwitch />
      <span class="me" data-testid="me">
        {me.user.displayName}
      </span>
      <button
        type="button"
        class="small"
        data-testid="logout"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOut();
        }}
      >
        {t.logout}
      </button>
    </div>
  );
}
