import { useEffect, useMemo } from 'preact/hooks';
import type { LogEntry } from '../../../../../shared/model/log';
import { lastPublished } from '../../../../../shared/model/reportCadence';
import { Identity, OpenIncident, clearIncidentEnd, reconnect, useConnection, useIncident, useIncidentEnd, useSignal } from '../../connection';
import { useMembers } from '../../members';
import { ServerClock, endWords, useI18n, useNow } from '../common/common';
import { useClocks } from '../regulatory/clocks';
import { useReports } from '../reports/ReportCountdown';
import { useMeta } from '../room/roomHooks';
import { ExerciseBanner } from '../exercise/ExerciseBanner';
import { usePublicExercise } from '../../exercisePublic';
import { useDecisions, useTasks } from '../tasks/taskData';
import { WallHeader, useLastUpdate } from './WallHeader';
import { WallAlerts, WallDecisions, WallReport, WallTasks } from './WallPanels';
import { liveIndexOf } from '../log/logIndex';

/**
 * The wall screen for the management: read only, large type, live. Decisions first, then the
 * open tasks by status with what is overdue, then the latest alerts. It holds no control that
 * writes: no input, no button (the language switch is a link).
 */
export function Management({ incidentId, identity }: { incidentId: string; identity: Identity }) {
  const members = useMembers(incidentId, identity.userId);
  const ended = useIncidentEnd(incidentId);
  // Read-only from the first join: the wall screen names no client id to bind, and sends nothing.
  const { open, error } = useIncident(identity, incidentId, members.status !== 'notMember' && members.status !== 'notFound' && ended === null, true);
  useEffect(() => () => clearIncidentEnd(incidentId), [incidentId]);
  const { t } = useI18n();
  if (ended) {
    // The server ended this account's access to the incident: say so, in words.
    return (
      <p class="page-error" role="alert" data-testid="not-member" data-end={ended.code}>
        {endWords(t, ended.code)} <a href="#/">{t.back}</a>
      </p>
    );
  }
  if (members.status === 'notMember' || members.status === 'notFound') {
    // Not (or no longer) a member: nothing of the incident is shown.
    return (
      <p class="page-error" role="alert" data-testid="not-member">
        {members.status === 'notFound' ? t.unknownIncident : t.notMember} <a href="#/">{t.back}</a>
      </p>
    );
  }
  if (error) return <p class="page-error">{error}</p>;
  if (!open) return <p class="loading">{t.loadingIncident}</p>;
  return (
    <ServerClock session={open.session}>
      <ManagementBoard open={open} onForbidden={members.reload} />
    </ServerClock>
  );
}

function ManagementBoard({ open, onForbidden }: { open: OpenIncident; onForbidden: () => void }) {
  const { session, client } = open;
  const meta = useMeta(session);
  const exercise = usePublicExercise(session.incidentId, meta?.exercise === true);
  const clocks = useClocks(session, meta);
  const connection = useConnection(client);
  const lastUpdate = useLastUpdate(session);
  const now = useNow(10_000);
  // A wall screen is watched by no one who would press a button: it retries for ever, even
  // after the browser said the network was gone (socket.io retries every other case itself).
  useEffect(() => {
    if (connection.status !== 'offline') return undefined;
    const timer = setInterval(() => reconnect(), 15_000);
    return () => clearInterval(timer);
  }, [connection.status]);
  const decisions = useDecisions(open);
  const tasks = useTasks(open);
  const reports = useReports(open);
  // Management reads published reports only: drafts are the cell's working copies.
  const latest = useMemo(() => lastPublished(reports, session.now()), [reports, session]);
  const logTick = useSignal(useMemo(() => (n: () => void) => session.onChange('log', n), [session]));
  const alerts = useMemo(() => {
    const out: LogEntry[] = [];
    // The shared live index: the latest alerts without a walk of the whole log per entry.
    const { entries } = liveIndexOf(session.log).current();
    for (let i = entries.length - 1; i >= 0 && out.length < 6; i--) {
      const e = entries[i]!;
      if (e.category === 'alert' || e.severity === 'high' || e.severity === 'critical') out.push(e);
    }
    return out;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  }, [session, logTick]);

  // A refusal for permission: was I removed? The members list says (and the outer view shows it).
  useEffect(() => session.onRejected((e) => e.code === 'FORBIDDEN' && onForbidden()), [session, onForbidden]);
  useEffect(() => client.onEnd((e) => e.incidentId === session.incidentId && onForbidden()), [client, session, onForbidden]);

  useEffect(() => {
    // The wall screen only shows: it sends no document update, whoever looks at it.
    session.setReadOnly();
    session.setPresence({ name: client.name, view: 'management' });
  }, [session, client]);

  return (
    <div class="mgmt" data-testid="management">
      <ExerciseBanner isExercise={meta?.exercise === true} exercise={exercise} />
      <WallHeader incidentId={session.incidentId} meta={meta} clocks={clocks} reports={reports} connection={connection} lastUpdate={lastUpdate} now={now} />
      <main class="mgmt-grid">
        <WallDecisions decisions={decisions} now={now} />
        <WallTasks tasks={tasks} now={now} />
        <WallAlerts alerts={alerts} now={now} />
        <WallReport latest={latest} now={now} />
      </main>
    </div>
  );
}
