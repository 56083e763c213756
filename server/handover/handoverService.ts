import type { Handover } from '../../shared/protocol/handover';
import type { TimelineKind } from '../../shared/timeline/events';
import type { DocumentStore } from '../storage/documentStore';
import type { IncidentService } from '../incidents/incidentService';
import { AppError } from '../errors';
import { replayCacheOf } from '../timeline/replayCache';
import type { LastVisits } from './lastVisits';
import { HANDOVER_ENTRIES_LISTED, HANDOVER_OPEN_ALERTS_LISTED } from '../../shared/protocol/handover';

export interface HandoverCaller {
  userId: string;
  /** The display name: what a task's `assignee` names. */
  name: string;
}

/**
 * The shift handover, "what happened since I left": the journal replayed as a timeline from
 * `since` (inclusive) tells what changed and when; the live documents give each changed
 * record's current state. Open alerts are read from the live log whatever their age.
 */
export class HandoverService {
  constructor(
    private readonly store: DocumentStore,
    private readonly incidents: IncidentService,
    private readonly visits: LastVisits,
  ) {}

  async handover(incidentId: string, caller: HandoverCaller, since?: Date): Promise<Handover> {
    const meta = await this.store.getIncident(incidentId);
    if (!meta) throw new AppError('NOT_FOUND', `no incident ${incidentId}`);
    const lastVisit = since ? null : await this.visits.get(incidentId, caller.userId);
    const from = since ?? lastVisit ?? new Date(meta.openedAt);
    const sinceSource = since ? 'query' : lastVisit ? 'lastVisit' : 'incidentOpened';

    // Replayed once per incident and kept up to the journal's head: each handover replays only what is new.
    const events = await replayCacheOf(this.store).timeline(incidentId, { from: from.toISOString(), to: null, kinds: [], categories: [], authors: [] });
    const newEntries: Array<{ entryId: string; at: string }> = [];
    const verifications: Handover['verifications'] = [];
    const taskChanges = new Map<string, Set<TimelineKind>>();
    const decisionChanges = new Map<string, Set<TimelineKind>>();
    const note = (map: Map<string, Set<TimelineKind>>, id: string, kind: TimelineKind) => map.set(id, (map.get(id) ?? new Set()).add(kind));
    for await (const batch of events) {
      for (const e of batch) {
        if (e.kind === 'log.entry' || e.kind === 'log.amendment') newEntries.push({ entryId: e.data.entryId, at: e.at });
        else if (e.kind === 'log.verification') verifications.push({ entryId: e.data.entryId, at: e.at, state: e.data.state, from: e.data.from, by: e.data.by, note: e.data.note, text: e.data.text });
        else if (e.kind.startsWith('task.')) note(taskChanges, (e.data as { taskId: string }).taskId, e.kind);
        else if (e.kind.startsWith('decision.')) note(decisionChanges, (e.data as { decisionId: string }).decisionId, e.kind);
      }
    }

    const recordedSince = new Set(newEntries.map((e) => e.entryId));
    const state = await this.incidents.tasksAndDecisions(incidentId);
    const until = new Date().toISOString();
    const fromIso = from.toISOString();
    const { entries, entryCount, alerts } = await this.incidents.readLog(incidentId, (index) => {
      const listed: Handover['entries'] = [];
      // The latest that are still in the log (a withdrawn entry is not listed, nor counted).
      for (let i = newEntries.length - 1; i >= 0 && listed.length < HANDOVER_ENTRIES_LISTED; i--) {
        const { entryId, at } = newEntries[i]!;
        const entry = index.get(entryId);
        if (entry) listed.push({ entry, verification: index.log.currentVerification(entry), at });
      }
      const entryCount = newEntries.reduce((n, e) => n + (index.get(e.entryId) ? 1 : 0), 0);
      return { entries: listed.reverse(), entryCount, alerts: index.openAlerts() };
    });

    const tasks: Handover['tasks'] = [];
    for (const task of state.tasks) {
      const kinds = taskChanges.get(task.id);
      if (kinds) tasks.push({ task, changes: [...kinds], assignedToMe: task.assignee === caller.name });
    }
    // Mine first: what the person coming back must pick up.
    tasks.sort((a, b) => Number(b.assignedToMe) - Number(a.assignedToMe));
    const decisions: Handover['decisions'] = [];
    for (const decision of state.decisions) {
      const kinds = decisionChanges.get(decision.id);
      if (kinds) decisions.push({ decision, changes: [...kinds] });
    }

    return {
      incidentId,
      since: fromIso,
      sinceSource,
      until,
      entries,
      entryCount,
      verifications: verifications.slice(-HANDOVER_ENTRIES_LISTED),
      verificationCount: verifications.length,
      tasks,
      decisions,
      // New by the journal's clock, like everything else here: `recordedAt` is the writer's
      // estimate of the server clock, which can fall before `since` for an entry written after it.
      // The latest ones: a person reads a hundred at a handover, not the thousands a long incident may leave open.
      openAlerts: alerts.slice(-HANDOVER_OPEN_ALERTS_LISTED).map((a) => ({ ...a, isNew: recordedSince.has(a.entry.id) })),
      openAlertCount: alerts.length,
    };
  }
}
