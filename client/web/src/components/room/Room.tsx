import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { RejectedEdit } from '../../../../sdk/incidentSession';
import { Identity, OpenIncident, clearIncidentEnd, forgetIncidentLocally, useConnection, useIncident, useIncidentEnd, useSignal } from '../../connection';
import { Members, useMembers } from '../../members';
import { View, navigate } from '../../router';
import { Announcer, ServerClock, endWords, useI18n, useNow } from '../common/common';
import { useClocks } from '../regulatory/clocks';
import { useReports } from '../reports/ReportCountdown';
import { OPEN_STATUSES, isOverdue, useDecisions, useTasks } from '../tasks/taskData';
import { LinkProblem } from '../app/LinkProblem';
import { ExerciseBanner } from '../exercise/ExerciseBanner';
import { InjectNotices } from '../exercise/InjectNotices';
import { usePublicExercise } from '../../exercisePublic';
import { MembersPanel } from './MembersPanel';
import { HandoverPanel } from './HandoverPanel';
import { RoomFooter } from './RoomFooter';
import { RoomHeader } from './RoomHeader';
import { RoomViews } from './RoomViews';
import { TimelineView } from '../../timeline/TimelineView';
import type { TimelineKeep } from '../../timeline/timelineData';
import { LogFirstScreen } from '../log/LogPreview';
import type { LogPreviewKeep } from '../log/latestEntries';
import { type Rights, rightsOf, useMeta, usePresence, useRoomKeys, useViewName } from './roomHooks';


export function Room({ incidentId, view, identity, admin }: { incidentId: string; view: View; identity: Identity; admin: boolean }) {
  const members = useMembers(incidentId, identity.userId);
  // The server ended my access to this incident while the page was open (removed from it).
  const ended = useIncidentEnd(incidentId);
  const excluded = members.status === 'notMember' || members.status === 'notFound' || ended !== null;
  // Opened on the log or timeline tab, a first picture from REST (the newest entries, the
  // timeline) is drawn before the documents open: loading the local copy of a large log, or its
  // first download, holds the page's thread for a second or more. A slow answer (a cold replay
  // of a large journal) holds them back two seconds at most.
  const [pictureFirst, setPictureFirst] = useState(hasFirstPicture(view));
  const pictureShown = useCallback(() => setPictureFirst(false), []);
  useEffect(() => {
    if (!pictureFirst) return undefined;
    const timer = setTimeout(pictureShown, 2_000);
    return () => clearTimeout(timer);
  }, [pictureFirst, pictureShown]);
  const { open, error } = useIncident(identity, incidentId, !excluded && !(pictureFirst && hasFirstPicture(view)));
  // The timeline's last picture, kept while its view moves from the opening page into the room.
  const [timelineKeep] = useState<TimelineKeep>(() => ({ current: null }));
  // The log's newest entries, drawn by the log view until its document has synced.
  const [logKeep] = useState<LogPreviewKeep>(() => ({ current: null }));
  useEffect(() => {
    if (members.status === 'notMember' || ended) forgetIncidentLocally(identity.userId, incidentId);
  }, [members.status, ended, identity.userId, incidentId]);
  useEffect(() => () => clearIncidentEnd(incidentId), [incidentId]);
  const { t } = useI18n();
  if (members.status === 'notFound') return <LinkProblem kind="unknown" id={incidentId} />;
  if (ended) return <NotInIncident incidentId={incidentId} message={endWords(t, ended.code)} members={admin && members.status === 'notMember' ? members : null} me={identity.userId} />;
  if (members.status === 'notMember') return <NotInIncident incidentId={incidentId} message={t.notMember} members={admin ? members : null} me={identity.userId} />;
  if (error) return <p class="page-error">{error}</p>;
  if (!open && view === 'timeline') {
    return (
      <PictureWhileOpening>
        <TimelineView incidentId={incidentId} session={null} keep={timelineKeep} onShown={pictureShown} />
      </PictureWhileOpening>
    );
  }
  if (!open && view === 'log') {
    return (
      <PictureWhileOpening>
        <LogFirstScreen incidentId={incidentId} keep={logKeep} onShown={pictureShown} />
      </PictureWhileOpening>
    );
  }
  if (!open) return <p class="loading">{t.loadingIncident}</p>;
  return (
    <ServerClock session={open.session}>
      <RoomInner open={open} view={view} me={identity.name} members={members} rights={rightsOf(members, admin)} meId={identity.userId} timelineKeep={timelineKeep} logKeep={logKeep} />
    </ServerClock>
  );
}

const hasFirstPicture = (view: View) => view === 'timeline' || view === 'log';

/**
 * A tab drawn from REST while the incident's documents open (the timeline from its window
 * route, the log from its newest entries): shown at once; once it is on screen (or failed to
 * load) the documents open, and the room comes around it.
 */
function PictureWhileOpening({ children }: { children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <div class="room">
      <p class="loading">{t.loadingIncident}</p>
      <main class="room-body">
        <div id="room-view" class="room-panel" role="tabpanel">
          {children}
        </div>
      </main>
    </div>
  );
}

/** Not (or no longer) a member: nothing of the incident is shown. An administrator may add people (themselves included). */
function NotInIncident({ incidentId, message, members, me }: { incidentId: string; message: string; members: Members | null; me?: string }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${message} — ${t.appTitle}`;
  }, [message, t]);
  return (
    <main class="list-page" data-testid="not-member">
      <p>
        <a class="back" href="#/">
          ← {t.back}
        </a>
      </p>
      <p class="banner warn" role="alert">
        {message}
      </p>
      {members && me && (
        <section class="card-box">
          <p class="muted">{t.adminMayManage}</p>
          <MembersPanel incidentId={incidentId} members={members} canManage meId={me} />
        </section>
      )}
    </main>
  );
}

/** Everyone who may be named in the room (assignees offered by the task forms): members, people here, and names already used. */
function usePeopleNames(me: string, members: Members, people: Array<{ name: string }>, tasks: Array<{ assignee: string | null; createdBy: string }>, decisions: Array<{ createdBy: string }>): string[] {
  return useMemo(() => {
    const set = new Set<string>([me]);
    for (const m of members.list ?? []) set.add(m.displayName);
    for (const p of people) set.add(p.name);
    for (const task of tasks) {
      if (task.assignee) set.add(task.assignee);
      set.add(task.createdBy);
    }
    for (const d of decisions) set.add(d.createdBy);
    return [...set].sort((a, b) => a.localeCompare(b));
  }, [people, tasks, decisions, me, members.list]);
}

function RoomInner({ open, view, me, meId, members, rights, timelineKeep, logKeep }: { open: OpenIncident; view: View; me: string; meId: string; members: Members; rights: Rights; timelineKeep: TimelineKeep; logKeep: LogPreviewKeep }) {
  const { t } = useI18n();
  const viewName = useViewName();
  const { session, client, marks } = open;
  const meta = useMeta(session);
  const clocks = useClocks(session, meta);
  const connection = useConnection(client);
  useSignal(useMemo(() => (n: () => void) => session.onPending(n), [session]));
  useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  const people = usePresence(session);
  const tasks = useTasks(open);
  const decisions = useDecisions(open);
  const reports = useReports(open);
  const now = useNow(30_000);
  const [revealId, setRevealId] = useState<string | null>(null);
  const [rejected, setRejected] = useState<RejectedEdit[]>([]);
  const [handoverOpen, setHandoverOpen] = useState(false);
  const addRef = useRef<HTMLInputElement>(null);
  const openHandover = useCallback(() => setHandoverOpen(true), []);
  useRoomKeys(session, view, openHandover, addRef);
  const names = usePeopleNames(me, members, people, tasks, decisions);
  const isExercise = meta?.exercise === true;
  const exercise = usePublicExercise(session.incidentId, isExercise);

  useEffect(() => {
    session.setPresence({ name: me, view });
  }, [session, me, view]);

  // A refusal for permission means my role changed (or I was removed): look at the members again.
  const reloadMembers = members.reload;
  useEffect(
    () =>
      session.onRejected((e, edit) => {
        if (e.code === 'FORBIDDEN') reloadMembers();
        // What was typed is handed back whatever the reason; a refused join alone is the members panel's to explain.
        if (e.code !== 'FORBIDDEN' || edit.texts.length > 0) setRejected((all) => [...all, edit]);
      }),
    [session, reloadMembers],
  );
  // A part my role may not write sends nothing (an observer's copy; the metadata for a member).
  useEffect(() => session.setRole(members.role), [session, members.role]);
  useEffect(() => client.onEnd((e) => e.incidentId === session.incidentId && reloadMembers()), [client, session, reloadMembers]);

  useEffect(() => {
    document.title = `${meta?.title ?? t.appTitle} — ${viewName(view)}`;
    // viewName only depends on the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [meta?.title, view, t]);

  const revealInLog = (id: string) => {
    setRevealId(id);
    navigate({ page: 'room', incidentId: session.incidentId, view: 'log' });
  };
  const counts = {
    openTasks: tasks.filter((x) => OPEN_STATUSES.has(x.status)).length,
    overdue: tasks.filter((x) => isOverdue(x, now)).length,
    decisions: decisions.length,
    published: reports.filter((r) => r.status === 'published').length,
    members: members.list ? members.list.length : null,
  };

  return (
    <div class="room">
      {/* Above every view of the room: no tab of an exercise can miss its mark. */}
      <ExerciseBanner isExercise={isExercise} exercise={exercise} />
      <RoomHeader
        incidentId={session.incidentId}
        meta={meta}
        clocks={clocks}
        reports={reports}
        rights={rights}
        connection={connection}
        pending={session.pendingCount || marks.size}
        now={now}
        view={view}
        counts={counts}
        people={people}
        viewName={viewName}
        rejected={rejected}
        onCloseRefusals={() => setRejected([])}
        onHandover={openHandover}
      />
      {/* Players only: the animators and evaluators wrote the injects. */}
      {isExercise && !rights.animation && <InjectNotices session={session} exercise={exercise} meId={meId} />}
      {handoverOpen && (
        <HandoverPanel
          incidentId={session.incidentId}
          onClose={() => setHandoverOpen(false)}
          onReveal={(id) => {
            setHandoverOpen(false);
            revealInLog(id);
          }}
        />
      )}
      <RoomViews open={open} view={view} me={me} meId={meId} meta={meta} members={members} rights={rights} people={names} revealId={revealId} addRef={addRef} onRevealEntry={revealInLog} timelineKeep={timelineKeep} logKeep={logKeep} />
      <RoomFooter now={now} />
      <Announcer />
    </div>
  );
}
