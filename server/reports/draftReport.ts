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
import { replayCacheOf } from '../timeline/replayCache';
import { draftSections } from './draftText';
import { lastWordings, refutedAt } from './draftFacts';

const KINDS: TimelineKind[] = ['log.entry', 'log.amendment', 'task.created', 'task.moved', 'task.done', 'decision.proposed', 'decision.approved', 'decision.rejected', 'decision.superseded', 'decision.revoked'];
const DECISION_KINDS: ReadonlySet<TimelineKind> = new Set(['decision.proposed', 'decision.approved', 'decision.rejected', 'decision.superseded', 'decision.revoked']);

/** What a draft reads of the live incident: its metadata (the cadence) and its reports (the default window, the previous report). */
export type LiveHeadline = Pick<IncidentState, 'meta' | 'reports'>;

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
export function defaultWindowStart(live: LiveHeadline, now: Date): string {
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
export async function computeDraft(store: DocumentStore, live: LiveHeadline, req: DraftRequest): Promise<ComputedDraft> {
  const from = req.from ?? defaultWindowStart(live, req.now);
  const to = req.to ?? req.now.toISOString();
  if (Date.parse(from) > Date.parse(to)) throw new AppError('BAD_REQUEST', '`from` must not be after `to`');
  const filter = TimelineFilterSchema.parse({ from, to, kinds: KINDS });
  // Replayed once per incident and kept up to the journal's head: a draft of a 100,000-entry incident replays only what is new.
  const replays = replayCacheOf(store);
  const events = await replays.timeline(req.incidentId, filter);
  const standing = await replays.standingAt(req.incidentId, new Date(to));
  const end = standing.state;
  const taskById = new Map<string, Task>(end.tasks.map((t) => [t.id, t]));
  const decisionById = new Map<string, Decision>(end.decisions.map((d) => [d.id, d]));
  const task = (id: string, title: string, fallback: Pick<Task, 'status' | 'assignee' | 'priority'>): DraftTaskItem => {
    const t = taskById.get(id);
    return { taskId: id, title: t?.title ?? title, status: t?.status ?? fallback.status, assignee: t?.assignee ?? fallback.assignee, priority: t?.priority ?? fallback.priority };
  };
  // What replaced a decision, by title: the decision at the window's end that names it in `supersedes`.
  const replacedBy = new Map<string, { decisionId: string; title: string }>();
  for (const d of end.decisions) if (d.supersedes) replacedBy.set(d.supersedes, { decisionId: d.id, title: d.title });
  /** A decision as it stood at the window's end (status included), dated by its last move in the window. */
  const decision = (d: { decisionId: string; title: string; statement: string; status: Decision['status']; by: string }, at: string): DraftDecisionItem => {
    const atEnd = decisionById.get(d.decisionId);
    const status = atEnd?.status ?? d.status;
    return {
      decisionId: d.decisionId,
      title: atEnd?.title ?? d.title,
      statement: atEnd?.statement ?? d.statement,
      status,
      by: d.by,
      at,
      replacedBy: status === 'superseded' ? (replacedBy.get(d.decisionId) ?? null) : null,
    };
  };
  /** Decisions that moved in the window, by id: the last move wins (one line per decision). */
  const moved = new Map<string, { data: { decisionId: string; title: string; statement: string; status: Decision['status']; by: string }; at: string }>();

  const log: DraftLogEntry[] = [];
  const tasks: ComputedDraft['tasks'] = { created: [], moved: [], done: [], inProgress: [], blocked: [] };
  const decisions: ComputedDraft['decisions'] = { approved: [], proposed: [], pending: [], rejected: [] };
  for await (const batch of events) {
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
        default:
          if (DECISION_KINDS.has(e.kind)) {
            const data = e.data as { decisionId: string; title: string; statement: string; status: Decision['status']; by: string };
            moved.delete(data.decisionId);
            moved.set(data.decisionId, { data, at: e.at });
          }
          break;
      }
    }
  }
  // Each decision in exactly one list, by its status at the window's end (one that no longer exists is left out).
  for (const { data, at } of moved.values()) {
    if (!decisionById.has(data.decisionId)) continue;
    const item = decision(data, at);
    if (item.status === 'proposed') decisions.proposed.push(item);
    else if (item.status === 'rejected') decisions.rejected.push(item);
    else decisions.approved.push(item);
  }
  // Each entry once, in its last wording as of the window's end; refuted ones apart.
  const wordings = lastWordings(log, (id) => standing.entry(id)?.amends);
  const refuted = await refutedAt(store, req.incidentId, to, wordings.map((l) => l.entryId), standing.entry);
  log.length = 0;
  const refutedLog: DraftLogEntry[] = [];
  for (const l of wordings) (refuted.has(l.entryId) ? refutedLog : log).push(l);
  // Key facts first, then alerts (the gravest first), then the rest; in time order within each.
  const rank = (l: DraftLogEntry) => (l.key ? 0 : l.category === 'alert' ? 1 : 2);
  log.sort((a, b) => rank(a) - rank(b) || a.at.localeCompare(b.at));

  for (const t of end.tasks) {
    const item = { taskId: t.id, title: t.title, status: t.status, assignee: t.assignee, priority: t.priority };
    if (t.status === 'in_progress') tasks.inProgress.push(item);
    if (t.status === 'blocked') tasks.blocked.push(item);
  }
  for (const d of end.decisions) {
    if (d.status === 'proposed') decisions.pending.push({ decisionId: d.id, title: d.title, statement: d.statement, status: d.status, by: d.createdBy, at: d.createdAt, replacedBy: null });
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
    refuted: refutedLog,
    tasks,
    decisions,
    needs,
  };
  return ComputedDraftSchema.parse({ ...base, sections: draftSections(live.meta, base, req.lang, req.timeZone) });
}
