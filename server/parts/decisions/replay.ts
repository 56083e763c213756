import * as Y from 'yjs';
import { DecisionsDoc } from '../../../shared/docs/decisionsDoc';
import type { Decision, DecisionField, DecisionStatusChange } from '../../../shared/model/decisions';
import type { DecisionEventData, FieldChanges, TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase, keep } from '../replay/partReplayer';
import { applyAndCollect } from '../replay/changedRecords';

/** Fields whose change is a "decision.updated"; the statement is drafted keystroke by keystroke, so it shows in status events instead. */
const UPDATE_FIELDS: readonly DecisionField[] = ['title', 'options', 'rationale', 'basedOn', 'followUpTasks'];

interface Known {
  decision: Decision;
  historyLength: number;
}

/**
 * Decisions through the shared typed view. A decision's status history is append-only, so the
 * status events of a record are the history entries it added, each with who the history names
 * and the note; a decision that supersedes another adds "superseded" to the other's history in
 * the same record, and both events come out of that record, the new decision first.
 */
export class DecisionsReplayer implements PartReplayer {
  readonly part = 'decisions' as const;
  private readonly doc = new Y.Doc();
  private readonly decisions = new DecisionsDoc(this.doc);
  private readonly known = new Map<string, Known>();
  private readonly replacedBy = new Map<string, { decisionId: string; title: string }>();

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    const touched = applyAndCollect(this.doc, this.decisions.root, record.update);
    const current: Decision[] = [];
    for (const id of touched) {
      const d = this.decisions.get(id);
      if (d) current.push(d);
    }
    for (const d of current) if (d.supersedes) this.replacedBy.set(d.supersedes, { decisionId: d.id, title: d.title });
    // New decisions first: "B approved" reads before "A superseded by B".
    current.sort((a, b) => Number(this.known.has(a.id)) - Number(this.known.has(b.id)));

    const events: TimelineEvent[] = [];
    let n = 0;
    for (const after of current) {
      const before = this.known.get(after.id);
      this.known.set(after.id, { decision: after, historyLength: after.history.length });
      if (before) {
        const changes = diffDecision(before.decision, after);
        if (Object.keys(changes).length > 0) events.push({ ...eventBase(this.part, record, n++), kind: 'decision.updated', data: { decisionId: after.id, title: after.title, changes } });
      }
      const added = after.history.slice(before?.historyLength ?? 0);
      for (const change of added) events.push(this.statusEvent(record, n++, after, change));
    }
    return keep(filter, events);
  }

  /** The decisions as the replay has them now (for "state at time T"). */
  list(): Decision[] {
    return this.decisions.list();
  }

  private statusEvent(record: JournalRecord, n: number, d: Decision, change: DecisionStatusChange): TimelineEvent {
    const data: DecisionEventData = {
      decisionId: d.id,
      title: d.title,
      status: change.status,
      statement: d.statement,
      by: change.by,
      note: change.note,
      supersedes: d.supersedes,
      supersededBy: change.status === 'superseded' ? (this.replacedBy.get(d.id) ?? null) : null,
    };
    return { ...eventBase(this.part, record, n), kind: `decision.${change.status}`, data };
  }
}

function diffDecision(before: Decision, after: Decision): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of UPDATE_FIELDS) {
    const from = before[key];
    const to = after[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
