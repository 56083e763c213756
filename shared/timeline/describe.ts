import { readableNote, supersededNote } from '../docs/decisionNotes';
import { type Lang, quote, words } from '../i18n';
import { dateFormatter } from '../i18n/dates';
import type { TimelineEvent, TimelineKind } from './events';

/** Short ids in human-readable text: enough to find the full one in the JSON or CSV. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (Array.isArray(v)) return v.length === 0 ? '∅' : v.join(', ');
  return String(v);
}

/** The label of an event's kind: the one the timeline tab and every export print. */
export function kindLabel(kind: TimelineKind, lang: Lang): string {
  return words(lang).enums.kind[kind];
}

/**
 * One line saying what happened, in the reader's language: the exports' description column and
 * the picture's tooltips. The full text of a log entry or a decision statement is given
 * separately by `eventText`. Times inside (a report's period, a withdrawal) are in `timeZone`.
 */
export function describeEvent(e: TimelineEvent, lang: Lang, timeZone = 'UTC'): string {
  const w = words(lang);
  const d = w.exports.describe;
  const en = w.enums;
  const q = (s: string) => quote(lang, s);
  const sep = w.common.colon;
  const role = (r: string) => (en.role as Record<string, string>)[r] ?? r;
  const when = (iso: string) => dateFormatter(lang, timeZone).dateTime(iso);
  switch (e.kind) {
    case 'incident.opened':
      return d.opened(q(e.data.title), en.severity[e.data.severity]);
    case 'incident.updated':
      return d.updated(changesText(e.data.changes, lang));
    case 'incident.closed':
    case 'incident.reopened':
      return en.kind[e.kind];
    case 'log.entry':
    case 'log.amendment': {
      const x = e.data;
      const flags = [en.category[x.category], `${w.exports.severity}${sep} ${en.severity[x.severity]}`, ...(x.key ? [d.key] : []), ...(x.source ? [`${d.source}${sep} ${x.source}`] : []), ...(x.paper ? [paperText(x.paper, lang)] : [])];
      const head = e.kind === 'log.amendment' ? d.amendment(shortId(x.amends ?? '')) : d.entry(shortId(x.entryId));
      const withdrawn = x.withdrawn ? ` — ${w.exports.withdrawn} (${when(x.withdrawn.at)})` : '';
      return `${head} [${flags.join(' · ')}]${withdrawn}`;
    }
    case 'log.verification': {
      const x = e.data;
      const by = x.by !== e.author ? d.by(x.by) : '';
      const from = x.from && x.from !== x.state ? d.was(en.verification[x.from]) : '';
      return `${d.entry(shortId(x.entryId))}${x.key ? ` [${d.key}]` : ''}${sep} ${en.verification[x.state]}${from}${by}${x.note ? ` — ${x.note}` : ''}`;
    }
    case 'task.created':
      return d.taskCreated(q(e.data.title), en.status[e.data.status], en.priority[e.data.priority], e.data.assignee);
    case 'task.assigned':
      return e.data.to ? d.taskAssigned(q(e.data.title), e.data.to, e.data.from) : d.taskUnassigned(q(e.data.title), value(e.data.from));
    case 'task.moved':
      return `${d.task(q(e.data.title))}${sep} ${en.status[e.data.from]} → ${en.status[e.data.to]}`;
    case 'task.done':
      return d.taskDone(q(e.data.title), en.status[e.data.from]);
    case 'task.updated':
      return d.taskUpdated(q(e.data.title), changesText(e.data.changes, lang));
    case 'decision.proposed':
    case 'decision.approved':
    case 'decision.rejected':
    case 'decision.revoked':
    case 'decision.superseded': {
      const x = e.data;
      const by = x.by !== e.author ? d.by(x.by) : '';
      const replaced = x.supersededBy ? d.by(q(x.supersededBy.title)) : '';
      // The supersession is told by title above; a note that only says so (by id, in older histories, or by title) adds nothing.
      const told = x.supersededBy !== null && readableNote(x.note, (id) => (id === x.supersededBy?.decisionId ? x.supersededBy.title : undefined)) === supersededNote(x.supersededBy.title);
      const note = x.note && !told ? ` — ${x.note}` : '';
      return `${d.decision(q(x.title), en.decision[x.status])}${e.kind === 'decision.superseded' ? replaced : by}${note}`;
    }
    case 'decision.updated':
      return d.decisionUpdated(q(e.data.title), changesText(e.data.changes, lang));
    case 'regulatory.drafted':
      return d.drafted(w.regulatory.kinds[e.data.draftKind], shortId(e.data.draftId));
    case 'regulatory.sent':
      return `${d.sent(w.regulatory.kinds[e.data.draftKind])}${e.data.sentVia ? d.via(e.data.sentVia) : ''}${e.data.reference ? d.reference(e.data.reference) : ''}${e.data.sentAt ? d.at(when(e.data.sentAt)) : ''}`;
    case 'report.published':
      return `${d.report(e.data.number)}${e.data.publishedBy !== e.author ? d.by(e.data.publishedBy) : ''}${d.period(when(e.data.windowFrom), when(e.data.windowTo))}`;
    case 'member.joined':
      return `${d.joined(e.data.member)}${e.data.role ? ` (${role(e.data.role)})` : ''}`;
    case 'member.role_changed':
      return d.roleChanged(e.data.member, e.data.previousRole ? role(e.data.previousRole) : '∅', e.data.role ? role(e.data.role) : '∅');
    case 'member.left':
      return `${d.left(e.data.member)}${e.data.role ? ` (${role(e.data.role)})` : ''}`;
  }
}

/** The free text that goes with an event: a log entry's text, a decision's statement, a report's situation. */
export function eventText(e: TimelineEvent): string {
  switch (e.kind) {
    case 'log.entry':
    case 'log.amendment':
    case 'log.verification':
      return e.data.text;
    case 'decision.proposed':
    case 'decision.approved':
    case 'decision.rejected':
    case 'decision.revoked':
    case 'decision.superseded':
      return e.data.statement;
    case 'report.published':
      return e.data.conditions;
    default:
      return '';
  }
}

/** The paper marker of a transcribed entry: who wrote it by hand, and the sheet. */
export function paperText(paper: { writer: string; sheet?: string | undefined }, lang: Lang): string {
  return words(lang).exports.describe.paper(paper.writer, paper.sheet);
}

function changesText(changes: Record<string, { from: unknown; to: unknown }>, lang: Lang): string {
  return Object.entries(changes)
    .map(([field, c]) => `${field} ${value(c.from)} → ${value(c.to)}`)
    .join(lang === 'fr' ? '\u202F; ' : '; ');
}
