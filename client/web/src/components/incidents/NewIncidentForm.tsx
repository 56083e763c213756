import { useEffect, useState } from 'preact/hooks';
import { SEVERITIES, Severity } from '../../../../../shared/model/common';
import type { MeReply } from '../../../../../shared/auth/schemas';
import type { TemplateSummary } from '../../../../../shared/templates/incidentTemplate';
import { OfflineError, createIncident, listTemplates } from '../../api';
import { navigate } from '../../router';
import { useI18n } from '../common/common';

/** A new incident: title, template (optional), severity, detection time; I become its director and the room opens. */
export function NewIncidentForm({ me }: { me: MeReply }) {
  const i18n = useI18n();
  const { t, enums } = i18n;
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
      setError(err instanceof OfflineError ? t.createOffline : `${t.createFailed}${t.colon} ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
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
  );
}
