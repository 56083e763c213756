import { useEffect, useState } from 'preact/hooks';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { Report } from '../../../../../shared/model/reports';
import type { Clock } from '../../../../../shared/timeline/deadlines';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import type { ConnectionView } from '../../connection';
import { href } from '../../router';
import { LangSwitch, SeverityBadge, endWords, statusLabel, useI18n, useNow } from '../common/common';
import { HeaderCountdown } from '../regulatory/clocks';
import { ReportCountdown } from '../reports/ReportCountdown';

/** The wall's header: the incident, the time elapsed, the countdowns, the clock and the connection in large type. */
export function WallHeader({ incidentId, meta, clocks, reports, connection, lastUpdate, now }: { incidentId: string; meta: IncidentMeta | null; clocks: Clock[]; reports: Report[]; connection: ConnectionView; lastUpdate: Date | null; now: Date }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <header class="mgmt-head">
      <div class="mgmt-title">
        <h1>{meta?.title ?? '…'}</h1>
        {meta && <SeverityBadge severity={meta.severity} />}
        <span class="badge readonly">{t.mgmtReadOnly}</span>
        <HeaderCountdown clocks={clocks} href={null} />
      </div>
      <div class="mgmt-clock">
        {meta && (
          <span class="elapsed" title={t.elapsed}>
            {i18n.elapsed(meta.detectedAt ?? meta.openedAt, now)}
          </span>
        )}
        {meta && <ReportCountdown meta={meta} reports={reports} />}
        <time class="clock" dateTime={now.toISOString()}>
          {i18n.shortTime(now, now)}
        </time>
        <span class="tz">{i18n.zoneLabel(now)}</span>
        <WallConnection connection={connection} lastUpdate={lastUpdate} />
        <LangSwitch asLink />
        <a class="mgmt-back" href={href({ page: 'room', incidentId, view: 'log' })}>
          ← {t.viewLog}
        </a>
      </div>
    </header>
  );
}

/** When the wall last received a change of the incident (any document), or null before the first. */
export function useLastUpdate(session: IncidentSession): Date | null {
  const [at, setAt] = useState<Date | null>(null);
  useEffect(() => {
    // afterTransaction, not 'update': listening to 'update' would make Yjs encode every change.
    const docs = Object.values(session.syncs).map((s) => s.doc);
    const changed = () => setAt(new Date());
    for (const d of docs) d.on('afterTransaction', changed);
    return () => {
      for (const d of docs) d.off('afterTransaction', changed);
    };
  }, [session]);
  return at;
}

/**
 * The wall's connection, in large type: its state and, always, when it last heard from the
 * server and last received a change, so whoever glances at it knows how fresh it is. No button.
 */
function WallConnection({ connection, lastUpdate }: { connection: ConnectionView; lastUpdate: Date | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  // Re-read the contact time (heartbeats every 10 s) without waiting for a status change.
  useNow(5_000);
  const { status, lastContact, endReason } = connection;
  return (
    <div
      class={`wall-conn conn conn-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-status={status}
      data-pending="0"
      data-last-contact={lastContact?.toISOString()}
    >
      <span class="conn-dot" aria-hidden="true" />
      <strong class="wall-conn-state">{status === 'ended' && endReason ? endWords(t, endReason.code) : statusLabel(t, status)}</strong>
      <span class="wall-conn-times">
        <span data-testid="last-contact">
          {t.wallLastContact} <time dateTime={lastContact?.toISOString()}>{lastContact ? i18n.time(lastContact) : t.noContactYet}</time>
        </span>
        {lastUpdate && (
          <span data-testid="last-update">
            {t.wallLastUpdate} <time dateTime={lastUpdate.toISOString()}>{i18n.time(lastUpdate)}</time>
          </span>
        )}
        {(status === 'reconnecting' || status === 'offline') && <span class="wall-conn-retry">{t.wallRetrying}</span>}
      </span>
    </div>
  );
}
