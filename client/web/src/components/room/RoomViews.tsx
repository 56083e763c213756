import { roleAllows } from '../../../../../shared/auth/roles';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { OpenIncident } from '../../connection';
import type { Members } from '../../members';
import type { View } from '../../router';
import { TimelineView } from '../../timeline/TimelineView';
import type { TimelineKeep } from '../../timeline/timelineData';
import { AuditTable } from '../admin/AuditTable';
import { AnimatorView } from '../exercise/AnimatorView';
import { useI18n } from '../common/common';
import { DecisionsView } from '../decisions/DecisionsView';
import { LogView } from '../log/LogView';
import type { LogPreviewKeep } from '../log/latestEntries';
import { RegulatoryView } from '../regulatory/RegulatoryView';
import { ReportsView } from '../reports/ReportsView';
import { TaskBoard } from '../tasks/TaskBoard';
import { MembersPanel } from './MembersPanel';
import type { Rights } from './roomHooks';

export interface RoomViewsProps {
  open: OpenIncident;
  view: View;
  me: string;
  meId: string;
  meta: IncidentMeta | null;
  members: Members;
  rights: Rights;
  people: string[];
  revealId: string | null;
  addRef: { current: HTMLInputElement | null };
  onRevealEntry: (id: string) => void;
  timelineKeep: TimelineKeep;
  logKeep: LogPreviewKeep;
}

/** The body of the room: the view its tab names, shaped by what the role may do. */
export function RoomViews({ open, view, me, meId, meta, members, rights, people, revealId, addRef, onRevealEntry, timelineKeep, logKeep }: RoomViewsProps) {
  const { t } = useI18n();
  const { session } = open;
  return (
    <main class="room-body">
      <div id="room-view" class="room-panel" role="tabpanel">
        {view === 'log' && <LogView open={open} me={me} revealId={revealId} readOnly={!rights.write} preview={logKeep} />}
        {view === 'tasks' && <TaskBoard open={open} people={people} addRef={addRef} readOnly={!rights.write} onRevealEntry={onRevealEntry} />}
        {view === 'decisions' && (
          <DecisionsView
            open={open}
            addRef={addRef}
            readOnly={!rights.write}
            // Directors decide, members where the incident lets them (the server refuses the rest: DECISION_AUTHORITY). Unknown role offline: let them try.
            canDecide={members.role === null || roleAllows(members.role, 'decide') || (members.role === 'member' && meta?.membersMayApprove === true)}
          />
        )}
        {view === 'reports' && <ReportsView open={open} meta={meta} addRef={addRef} canWrite={rights.write} canManage={rights.manage} />}
        {view === 'regulatory' && <RegulatoryView open={open} meta={meta} readOnly={!rights.write} director={roleAllows(members.role, 'writeMeta')} />}
        {view === 'timeline' && <TimelineView incidentId={session.incidentId} session={session} keep={timelineKeep} />}
        {view === 'members' && (
          <div class="page-panel">
            <MembersPanel incidentId={session.incidentId} members={members} canManage={rights.manage} meId={meId} exercise={meta?.exercise === true} />
          </div>
        )}
        {view === 'animation' && (
          <div class="page-panel">
            <AnimatorView incidentId={session.incidentId} members={members} />
          </div>
        )}
        {view === 'audit' && (
          <div class="page-panel">
            {rights.manage ? <AuditTable scope={{ incidentId: session.incidentId }} /> : <p class="muted">{t.directorsOnly}</p>}
          </div>
        )}
      </div>
    </main>
  );
}
