import { useEffect, useMemo } from 'preact/hooks';
import { I18n } from '../../i18n';
import { useRoute } from '../../router';
import { useSettings } from '../../settings';
import { loadSession, useAuth } from '../../session';
import type { Identity } from '../../connection';
import { I18nContext } from '../common/common';
import { IncidentList } from '../incidents/IncidentList';
import { Room } from '../room/Room';
import { Management } from '../management/Management';
import { Login } from '../accounts/Login';
import { Setup, SetupRequired } from '../accounts/Setup';
import { Invite } from '../accounts/Invite';
import { AccountPage } from '../accounts/AccountPage';
import { AdminPage } from '../admin/AdminPage';
import { LinkProblem } from './LinkProblem';
import { NamePrompt, needsName } from '../accounts/NamePrompt';

export function App() {
  const settings = useSettings();
  const route = useRoute();
  const auth = useAuth();
  const i18n = useMemo(() => new I18n(settings.lang, navigator.languages ?? [navigator.language]), [settings.lang]);
  const linkPage = route.page === 'setup' || route.page === 'invite';
  useEffect(() => {
    // The link pages need no session: they create one.
    if (!linkPage) void loadSession();
  }, [linkPage]);
  useEffect(() => {
    document.documentElement.lang = settings.lang;
    document.documentElement.classList.toggle('wall', route.page === 'management' && auth.kind === 'ready');
  }, [settings.lang, route.page, auth.kind]);

  let page;
  if (route.page === 'setup') page = <Setup token={route.token} />;
  else if (route.page === 'invite') page = <Invite token={route.token} />;
  else if (auth.kind === 'loading') page = <p class="loading">{i18n.t.listLoading}</p>;
  else if (auth.kind === 'setupRequired') page = <SetupRequired />;
  else if (auth.kind === 'login') page = <Login notice={auth.notice} />;
  else {
    const { me } = auth;
    const identity: Identity = { userId: me.user.id, name: me.user.displayName };
    if (route.page === 'management') page = <Management incidentId={route.incidentId} identity={identity} />;
    else if (route.page === 'room') page = <Room incidentId={route.incidentId} view={route.view} identity={identity} admin={me.user.admin} />;
    else if (route.page === 'account') page = <AccountPage me={me} />;
    else if (route.page === 'admin') page = <AdminPage me={me} />;
    else if (route.page === 'badLink') page = <LinkProblem kind="malformed" id={route.text} />;
    else page = <IncidentList me={me} offline={auth.offline} />;
    // On the list, where a sign-in lands (not over a room at work).
    if (route.page === 'list' && needsName(me) && !auth.offline)
      page = (
        <>
          <NamePrompt me={me} />
          {page}
        </>
      );
  }
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}
