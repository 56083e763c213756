import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AuditView, PersonView } from '../../../../../shared/auth/schemas';
import { listAudit, listPeople } from '../../authApi';
import { OfflineError } from '../../http';
import { FormError } from '../accounts/AuthLayout';
import { useI18n } from '../common/common';
import { fold } from '../log/LogView';

const PAGE = 500;
/** A trail longer than this is read in part: the newest events matter most on screen. */
const MAX_PAGES = 20;

function detailText(detail: Record<string, unknown> | null, names: Map<string, string>): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => {
      const value = typeof v === 'string' ? (k === 'userId' || k === 'owner' || k === 'invitedBy' ? names.get(v) ?? v : v) : JSON.stringify(v);
      return `${k}: ${String(value).slice(0, 120)}`;
    })
    .join(' · ');
}

/**
 * The audit trail, newest first: an incident's (directors) or the whole server's
 * (administrators). Append-only on the server; here it is only read, with a text filter.
 */
export function AuditTable({ scope }: { scope: { incidentId: string } | 'all' }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [events, setEvents] = useState<AuditView[] | null>(null);
  const [users, setUsers] = useState<Array<PersonView & { disabled?: boolean }>>([]);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scopeKey = scope === 'all' ? 'all' : scope.incidentId;

  /** Reads every event after `after`, a page at a time. */
  const fetchFrom = useCallback(
    async (after: number): Promise<AuditView[]> => {
      const out: AuditView[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const batch = await listAudit(scope, after, PAGE);
        out.push(...batch);
        if (batch.length < PAGE) break;
        after = batch[batch.length - 1]!.id;
      }
      return out;
    },
    // The scope is identified by its key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [scopeKey],
  );

  const refresh = async (current: AuditView[] | null) => {
    setBusy(true);
    setError(null);
    try {
      const last = current && current.length > 0 ? current[current.length - 1]!.id : 0;
      const more = await fetchFrom(last);
      setEvents([...(current ?? []), ...more]);
    } catch (err) {
      setError(err instanceof OfflineError ? t.serverUnreachable : err instanceof Error ? err.message : String(err));
      if (!current) setEvents([]);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setEvents(null);
    void refresh(null);
    listPeople().then(setUsers, () => undefined);
    // Reload when the scope changes only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scopeKey]);

  const names = useMemo(() => new Map(users.map((u) => [u.id, u.displayName] as const)), [users]);
  const shown = useMemo(() => {
    const q = fold(filter.trim());
    const list = [...(events ?? [])].reverse();
    if (!q) return list;
    return list.filter((e) => fold(`${e.action} ${t.auditActions[e.action] ?? ''} ${e.actor ? names.get(e.actor) ?? e.actor : ''} ${e.ip ?? ''} ${detailText(e.detail, names)}`).includes(q));
  }, [events, filter, names, t]);

  return (
    <section class="audit" aria-labelledby="audit-title" data-testid="audit">
      <div class="row audit-head">
        <h2 id="audit-title" class="grow">
          {scope === 'all' ? t.auditAll : t.viewAudit}
        </h2>
        <label class="field">
          <span>{t.filterText}</span>
          <input id="audit-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="button" class="small" disabled={busy} onClick={() => void refresh(events)}>
          {t.refresh}
        </button>
      </div>
      <p class="muted">{t.auditHelp}</p>
      <FormError message={error} />
      {events === null && <p class="muted">{t.listLoading}</p>}
      {events && events.length === 0 && !error && <p class="muted">{t.auditEmpty}</p>}
      {shown.length > 0 && (
        <div class="table-scroll">
          <table class="data-table audit-table">
            <thead>
              <tr>
                <th scope="col">{t.when}</th>
                <th scope="col">{t.who}</th>
                <th scope="col">{t.what}</th>
                <th scope="col">{t.details}</th>
                <th scope="col">{t.address}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr data-testid="audit-event" data-action={e.action} class={/refused|failed|throttled|limited|closed/.test(e.action) ? 'audit-alarm' : ''}>
                  <td>
                    <time dateTime={e.at}>{i18n.dateTime(e.at)}</time>
                  </td>
                  <td>{e.actor ? names.get(e.actor) ?? e.actor : '—'}</td>
                  <td>
                    {t.auditActions[e.action] ?? e.action}
                    <span class="muted audit-code"> {e.action}</span>
                  </td>
                  <td class="audit-detail">{detailText(e.detail, names)}</td>
                  <td>{e.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
