import { useEffect, useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../shared/model/common';
import type { IncidentMeta } from '../../../../shared/model/incident';
import { OfflineError, createIncident, listIncidents } from '../api';
import { href, navigate } from '../router';
import { updateSettings } from '../settings';
import { LangSwitch, SeverityBadge, useI18n, useNow } from './common';

/** The incidents, open ones first; create one; open one. */
export function IncidentList({ name }: { name: string }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const now = useNow(60_000);
  const [list, setList] = useState<{ incidents: IncidentMeta[]; stale: boolean } | null>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [detected, setDetected] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${t.incidents} — ${t.appTitle}`;
    let alive = true;
    const load = () => void listIncidents().then((l) => alive && setList(l));
    load();
    const timer = setInterval(load, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [t]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!title.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const meta = await createIncident({ title: title.trim(), severity, detectedAt: detected ? new Date(detected).toISOString() : new Date().toISOString(), author: name });
      navigate({ page: 'room', incidentId: meta.id, view: 'log' });
    } catch (err) {
      setError(err instanceof OfflineError ? t.createOffline : `${t.createFailed} : ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const open = list?.incidents.filter((m) => m.status === 'open') ?? [];
  const closed = list?.incidents.filter((m) => m.status !== 'open') ?? [];

  const item = (m: IncidentMeta) => (
    <li class={`incident-item status-${m.status}`} data-testid="incident-item" data-id={m.id}>
      <a class="incident-link" href={href({ page: 'room', incidentId: m.id, view: 'log' })}>
        <span class="incident-name">{m.title}</span>
        <span class="incident-meta">
          <SeverityBadge severity={m.severity} />
          <span>
            {t.openedAt} {i18n.dateTime(m.openedAt)}
          </span>
          {m.status === 'open' && <span class="elapsed">{i18n.elapsed(m.detectedAt ?? m.openedAt, now)}</span>}
        </span>
      </a>
      <a class="small-link" href={href({ page: 'management', incidentId: m.id })}>
        {t.management} ↗
      </a>
    </li>
  );

  return (
    <div class="list-page">
      <header class="list-head">
        <h1>{t.appTitle}</h1>
        <div class="head-end">
          <span class="tz">{i18n.zoneLabel(now)}</span>
          <LangSwitch />
          <span class="me">{name}</span>
          <button type="button" class="ghost small" onClick={() => updateSettings({ name: null })}>
            {t.changeName}
          </button>
        </div>
      </header>
      <main class="list-main">
        <section class="card-box" aria-labelledby="new-incident">
          <h2 id="new-incident">{t.newIncident}</h2>
          <form class="new-incident" onSubmit={submit}>
            <label class="field grow">
              <span>{t.incidentTitle}</span>
              <input id="incident-title" required maxLength={300} value={title} placeholder={t.incidentTitlePlaceholder} onInput={(e) => setTitle(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{t.severity}</span>
              <select value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity)}>
                {SEVERITIES.map((s) => (
                  <option value={s}>{enums.severity[s]}</option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>
                {t.detectedAt} ({i18n.timeZone})
              </span>
              <input type="datetime-local" value={detected} onInput={(e) => setDetected(e.currentTarget.value)} />
            </label>
            <button type="submit" class="primary" disabled={busy || !title.trim()}>
              {t.create}
            </button>
          </form>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </section>
        <section aria-labelledby="incidents-title">
          <h2 id="incidents-title">{t.incidents}</h2>
          {list === null && <p class="muted">{t.listLoading}</p>}
          {list?.stale && (
            <p class="banner warn" role="status">
              {t.listOffline}
            </p>
          )}
          {list && list.incidents.length === 0 && <p class="muted">{t.noIncidents}</p>}
          {open.length > 0 && (
            <>
              <h3 class="group-title">
                {t.openIncidents} ({open.length})
              </h3>
              <ul class="incident-list" data-testid="incidents-open">
                {open.map(item)}
              </ul>
            </>
          )}
          {closed.length > 0 && (
            <>
              <h3 class="group-title">
                {t.closedIncidents} ({closed.length})
              </h3>
              <ul class="incident-list closed">{closed.map(item)}</ul>
            </>
          )}
        </section>
      </main>
    </div>
  );
}

/** Until accounts exist, the user names themself once; the name signs every edit. */
export function NamePrompt() {
  const { t } = useI18n();
  const [name, setName] = useState('');
  return (
    <div class="name-page">
      <form
        class="name-box"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) updateSettings({ name: name.trim().slice(0, 120) });
        }}
      >
        <div class="name-top">
          <h1>{t.appTitle}</h1>
          <LangSwitch />
        </div>
        <label class="field">
          <span>{t.namePrompt}</span>
          <input id="display-name" autoFocus required maxLength={120} value={name} autoComplete="name" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <p class="muted">{t.nameHelp}</p>
        <button type="submit" class="primary" disabled={!name.trim()}>
          {t.nameSave}
        </button>
      </form>
    </div>
  );
}
