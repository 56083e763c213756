import type { IncidentState } from '../../shared/model/incident';
import type { Task } from '../../shared/model/tasks';
import type { Decision } from '../../shared/model/decisions';
import { type ComputedDraft, ComputedDraftSchema, type DraftDecisionItem, type DraftLogEntry, type DraftTaskItem } from '../../shared/model/reportDraft';
import { cadenceMinutes, pastTimeMs } from '../../shared/model/reportCadence';
import type { Report } from '../../shared/model/reports';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import type { TimelineKind } from '../../shared/timeline/events';
import type { DocumentStore } from '../storage/documentStore';
import { AppError } from '../errors';
import { openTimeline } from '../timeline/timeline';
import { stateAt } from '../timeline/stateAt';
import { draftSections } from './draftText';

const KINDS: TimelineKind[] = ['log.entry', 'log.amendment', 'task.created', 'task.moved', 'task.done', 'decision.proposed', 'decision.approved'];

export interface DraftRequest {
  incidentId: string;
  from?: string | undefined;
  to?: string | undefined;
  lang: 'fr' | 'en';
  timeZone: string;
  now: Date;
}

/**
 * The default window of the next report: from the end of the latest published report's window
 * (or the incident's opening) until now. Times are compared as times, and a window end later
 * than now (beyond the clock skew) is ignored: one bad record must not make every later
 * automatic draft start after its end.
 */
export function defaultWindowStart(live: IncidentState, now: Date): string {
  let from = live.meta.openedAt;
  let fromMs = Date.parse(from);
  for (const r of live.reports) {
    if (r.status !== 'published') continue;
    const ms = pastTimeMs(r.windowTo, now);
    if (ms === null || ms <= fromMs) continue;
    fromMs = ms;
    // Within the skew but past now: start now, the window of the next draft ends now.
    from = ms > now.getTime() ? now.toISOString() : r.windowTo;
  }
  return from;
}

function previousReport(reports: Report[]): ComputedDraft['previousReport'] {
  const published = reports.filter((r) => r.status === 'published');
  const last = published.sort((a, b) => a.number - b.number).at(-1);
  return last ? { reportId: last.id, number: last.number } : null;
}

/**
 * What changed in the window, from the journal: the timeline's events between `from` and `to`
 * (server time, inclusive) and the incident as it stood at `to` (what is in progress, blocked,
 * awaiting a decision). `live` is the incident now: the window's defaults and the cadence.
 */
export async function computeDraft(store: DocumentStore, live: IncidentState, req: DraftRequest): Promise<ComputedDraft> {
  const from = req.from ?? defaultWindowStart(live, req.now);
  const to = req.to ?? req.now.toISOString();
  if (Date.parse(from) > Date.parse(to)) throw new AppError('BAD_REQUEST', '`from` must not be after `to`');
  const filter = TimelineFilterSchema.parse({ from, to, kinds: KINDS });
  const run = await openTimeline(store, req.incidentId, filter);
  const end = await stateAt(store, req.incidentId, new Date(to));
  const taskById = new Map<string, Task>(end.tasks.map((t) => [t.id, t]));
  const decisionById = new Map<string, Decision>(end.decisions.map((d) => [d.id, d]));
  const task = (id: string, title: string, fallback: Pick<Task, 'status' | 'assignee' | 'priority'>): DraftTaskItem => {
    const t = taskById.get(id);
    return { taskId: id, title: t?.title ?? title, status: t?.status ?? fallback.status, assignee: t?.assignee ?? fallback.assignee, priority: t?.priority ?? fallback.priority };
  };
  const decision = (d: { decisionId: string; title: string; statement: string; status: Decision['status']; by: string }, at: string): DraftDecisionItem => ({
    decisionId: d.decisionId,
    title: decisionById.get(d.decisionId)?.title ?? d.title,
    statement: decisionById.get(d.decisionId)?.statement ?? d.statement,
    status: d.status,
    by: d.by,
    at,
  });

  const log: DraftLogEntry[] = [];
  const tasks: ComputedDraft['tasks'] = { created: [], moved: [], done: [], inProgress: [], blocked: [] };
  const decisions: ComputedDraft['decisions'] = { approved: [], proposed: [], pending: [] };
  for await (const batch of run.events) {
    for (const e of batch) {
      switch (e.kind) {
        case 'log.entry':
        case 'log.amendment':
          // A withdrawn entry is gone from every live view: not a fact of the report (the exports keep it, marked).
          if (!e.data.withdrawn) log.push({ entryId: e.data.entryId, at: e.at, eventAt: e.eventAt, category: e.data.category, severity: e.data.severity, key: e.data.key, text: e.data.text, author: e.data.writtenBy, amends: e.data.amends });
          break;
        case 'task.created':
          tasks.created.push(task(e.data.taskId, e.data.title, { status: e.data.status, assignee: e.data.assignee, priority: e.data.priority }));
          break;
        case 'task.moved':
          tasks.moved.push({ taskId: e.data.taskId, title: e.data.title, from: e.data.from, to: e.data.to, at: e.at });
          break;
        case 'task.done':
          tasks.done.push({ ...task(e.data.taskId, e.data.title, { status: 'done', assignee: null, priority: 'normal' }), status: 'done' });
          break;
        case 'decision.approved':
          decisions.approved.push(decision(e.data, e.at));
          break;
        case 'decision.proposed':
          decisions.proposed.push(decision(e.data, e.at));
          break;
        default:
          break;
      }
    }
  }
  // Key facts first, then alerts (the gravest first), then the rest; in time order within each.
  const rank = (l: DraftLogEntry) => (l.key ? 0 : l.category === 'alert' ? 1 : 2);
  log.sort((a, b) => rank(a) - rank(b) || a.at.localeCompare(b.at));

  for (const t of end.tasks) {
    const item = { taskId: t.id, title: t.title, status: t.status, assignee: t.assignee, priority: t.priority };
    if (t.status === 'in_progress') tasks.inProgress.push(item);
    if (t.status === 'blocked') tasks.blocked.push(item);
  }
  for (const d of end.decisions) {
    if (d.status === 'proposed') decisions.pending.push({ decisionId: d.id, title: d.title, statement: d.statement, status: d.status, by: d.createdBy, at: d.createdAt });
  }
  const needs: ComputedDraft['needs'] = [
    ...tasks.blocked.map((t) => ({ kind: 'blockedTask' as const, id: t.taskId, title: t.title })),
    ...decisions.pending.map((d) => ({ kind: 'pendingDecision' as const, id: d.decisionId, title: d.title })),
  ];

  const cadence = cadenceMinutes(live.meta);
  const nextReportAt = new Date(Date.parse(to) + cadence * 60_000).toISOString();
  const base = {
    incidentId: req.incidentId,
    window: { from, to },
    generatedAt: req.now.toISOString(),
    lang: req.lang,
    cadenceMinutes: cadence,
    nextReportAt,
    previousReport: previousReport(live.reports),
    log,
    tasks,
    decisions,
    needs,
  };
  return ComputedDraftSchema.parse({ ...base, sections: draftSections(live.meta, base, req.lang, req.timeZone) });
}
