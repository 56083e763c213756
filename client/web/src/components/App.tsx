import { useEffect, useMemo } from 'preact/hooks';
import { I18n } from '../i18n';
import { useRoute } from '../router';
import { useSettings } from '../settings';
import { I18nContext } from './common';
import { IncidentList, NamePrompt } from './IncidentList';
import { Room } from './Room';
import { Management } from './Management';

export function App() {
  const settings = useSettings();
  const route = useRoute();
  const i18n = useMemo(() => new I18n(settings.lang, navigator.languages ?? [navigator.language]), [settings.lang]);
  useEffect(() => {
    document.documentElement.lang = settings.lang;
    document.documentElement.classList.toggle('wall', route.page === 'management');
  }, [settings.lang, route.page]);

  let page;
  if (route.page === 'management') {
    // A wall screen needs no one to type a name: it reads, it never writes.
    page = <Management incidentId={route.incidentId} name={settings.name ?? (settings.lang === 'fr' ? 'Écran direction' : 'Wall screen')} />;
  } else if (!settings.name) {
    page = <NamePrompt />;
  } else if (route.page === 'room') {
    page = <Room incidentId={route.incidentId} view={route.view} name={settings.name} />;
  } else {
    page = <IncidentList name={settings.name} />;
  }
  return <I18nContext.Provider value={i18n}>{page}</I18nContext.Provider>;
}
