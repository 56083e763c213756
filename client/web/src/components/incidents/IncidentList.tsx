import { useEffect, useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { MeReply } from '../../../../../shared/auth/schemas';
import type { TemplateSummary } from '../../../../../shared/templates/incidentTemplate';
import { OfflineError, createIncident, listIncidents, listTemplates } from '../../api';
import { href, navigate } from '../../router';
import { SeverityBadge, useI18n, useNow } from '../common/common';
import { UserBar } from '../common/UserBar';

/** The incidents I am a member of, open ones first; create one (I become its director); open one. */
export function IncidentList({ me, offline }: { me: MeReply; offline: boolean }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
  const now = useNow(60_000);
  const [list, setList] = useState<{ incidents: IncidentMeta[]; stale: boolean } | null>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [detected, setDetected] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [templateId, setTemplateId] = useState('');
  /** A health establishment: ticked by a template of the health sector, and by hand. */
  const [healthSector, setHealthSector] = useState(false);
  const template = templates.find((x) => x.id === templateId) ?? null;

  useEffect(() => {
    let alive = true;
    void listTemplates().then((l) => alive && setTemplates(l), () => undefined);
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    document.title = `${t.incidents} — ${t.appTitle}`;
    let alive = true;
    const load = () =>
      void listIncidents(me.user.id).then(
        (l) => alive && setList(l),
        () => alive && setList((l) => l ?? { incidents: [], stale: true }),
      );
    load();
    const timer = setInterval(load, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [t, me.user.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!title.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const meta = await createIncident(me.user.id, {
        title: title.trim(),
        severity,
        detectedAt: detected ? new Date(detected).toISOString() : new Date().toISOString(),
        healthSector,
        ...(template ? { template: template.id, language: i18n.lang } : {}),
      });
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
        <span class="tz">{i18n.zoneLabel(now)}</span>
        <UserBar me={me} current="list" />
      </header>
      <main class="list-main">
        <section class="card-box" aria-labelledby="new-incident">
          <h2 id="new-incident">{t.newIncident}</h2>
          <form class="new-incident" onSubmit={submit}>
            <label class="field grow">
              <span>{t.incidentTitle}</span>
              <input id="incident-title" required maxLength={300} value={title} placeholder={t.incidentTitlePlaceholder} onInput={(e) => setTitle(e.currentTarget.value)} />
            </label>
            {templates.length > 0 && (
              <label class="field">
                <span>{t.template}</span>
                <select
                  data-testid="incident-template"
                  value={templateId}
                  onChange={(e) => {
                    const id = e.currentTarget.value;
                    setTemplateId(id);
                    // A template proposes its severity; the person may still change it.
                    const chosen = templates.find((x) => x.id === id);
                    if (chosen) setSeverity(chosen.severity);
                    // So does its sector (ARS / CERT Santé for a health establishment).
                    setHealthSector(chosen?.sectors.includes('health') ?? false);
                  }}
                >
                  <option value="">{t.templateNone}</option>
                  {templates.map((x) => (
                    <option value={x.id}>{x.name[i18n.lang]}</option>
                  ))}
                </select>
              </label>
            )}
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
            <label class="check">
              <input type="checkbox" data-testid="incident-health" checked={healthSector} onChange={(e) => setHealthSector(e.currentTarget.checked)} />
              <span>{t.reg.healthSector}</span>
            </label>
            <button type="submit" class="primary" disabled={busy || !title.trim()}>
              {t.create}
            </button>
          </form>
          {template && (
            <p class="muted template-help" data-testid="template-help">
              {template.description[i18n.lang]} — {t.templateTasks(template.taskCount)}
            </p>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </section>
        <section aria-labelledby="incidents-title">
          <h2 id="incidents-title">{t.incidents}</h2>
          {list === null && <p class="muted">{t.listLoading}</p>}
          {(list?.stale || (offline && list === null)) && (
            <p class="banner warn" role="status">
              {t.listOffline}
            </p>
          )}
          {list && list.incidents.length === 0 && <p class="muted">{me.user.admin ? t.noIncidents : t.noIncidentsMember}</p>}
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
