import { readableNote, supersededNote } from '../docs/decisionNotes';
import type { TimelineEvent } from './events';
import { CATEGORY_LABELS, DECISION_STATUS_LABELS, DRAFT_KIND_LABELS, EXPORT_LABELS, KIND_LABELS, PRIORITY_LABELS, SEVERITY_LABELS, TASK_STATUS_LABELS, VERIFICATION_LABELS } from './labels';

/** Short ids in human-readable text: enough to find the full one in the JSON or CSV. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

function quoted(s: string): string {
  return `« ${s} »`;
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (Array.isArray(v)) return v.length === 0 ? '∅' : v.join(', ');
  return String(v);
}

/**
 * One line saying what happened, in the words of the exports (French). The full text of a log
 * entry or a decision statement is given separately by `eventText`.
 */
export function describeEvent(e: TimelineEvent): string {
  switch (e.kind) {
    case 'incident.opened':
      return `Ouverture de l’incident ${quoted(e.data.title)} (gravité ${SEVERITY_LABELS[e.data.severity]})`;
    case 'incident.updated':
      return `Incident modifié : ${changesText(e.data.changes)}`;
    case 'incident.closed':
      return 'Clôture de l’incident';
    case 'incident.reopened':
      return 'Réouverture de l’incident';
    case 'log.entry':
    case 'log.amendment': {
      const d = e.data;
      const flags = [CATEGORY_LABELS[d.category], `gravité ${SEVERITY_LABELS[d.severity]}`, ...(d.key ? ['fait marquant'] : []), ...(d.source ? [`source : ${d.source}`] : []), ...(d.paper ? [paperText(d.paper)] : [])];
      const head = e.kind === 'log.amendment' ? `Rectificatif de l’entrée ${shortId(d.amends ?? '')}` : `Entrée ${shortId(d.entryId)}`;
      const withdrawn = d.withdrawn ? ` — ${EXPORT_LABELS.withdrawn} (${d.withdrawn.at})` : '';
      return `${head} [${flags.join(' · ')}]${withdrawn}`;
    }
    case 'log.verification': {
      const d = e.data;
      const by = d.by !== e.author ? ` par ${d.by}` : '';
      const from = d.from && d.from !== d.state ? ` (était ${VERIFICATION_LABELS[d.from]})` : '';
      return `Entrée ${shortId(d.entryId)}${d.key ? ' [fait marquant]' : ''} : ${VERIFICATION_LABELS[d.state]}${from}${by}${d.note ? ` — ${d.note}` : ''}`;
    }
    case 'task.created':
      return `Tâche créée : ${quoted(e.data.title)} (${TASK_STATUS_LABELS[e.data.status]}, priorité ${PRIORITY_LABELS[e.data.priority]}${e.data.assignee ? `, assignée à ${e.data.assignee}` : ''})`;
    case 'task.assigned':
      return e.data.to ? `Tâche ${quoted(e.data.title)} assignée à ${e.data.to}${e.data.from ? ` (auparavant ${e.data.from})` : ''}` : `Tâche ${quoted(e.data.title)} n’est plus assignée (auparavant ${value(e.data.from)})`;
    case 'task.moved':
      return `Tâche ${quoted(e.data.title)} : ${TASK_STATUS_LABELS[e.data.from]} → ${TASK_STATUS_LABELS[e.data.to]}`;
    case 'task.done':
      return `Tâche ${quoted(e.data.title)} terminée (était ${TASK_STATUS_LABELS[e.data.from]})`;
    case 'task.updated':
      return `Tâche ${quoted(e.data.title)} modifiée : ${changesText(e.data.changes)}`;
    case 'decision.proposed':
    case 'decision.approved':
    case 'decision.rejected':
    case 'decision.revoked':
    case 'decision.superseded': {
      const d = e.data;
      const by = d.by !== e.author ? ` par ${d.by}` : '';
      const replaced = d.supersededBy ? ` par ${quoted(d.supersededBy.title)}` : '';
      // The supersession is told by title above; a note that only says so (by id, in older histories, or by title) adds nothing.
      const told = d.supersededBy !== null && readableNote(d.note, (id) => (id === d.supersededBy?.decisionId ? d.supersededBy.title : undefined)) === supersededNote(d.supersededBy.title);
      const note = d.note && !told ? ` — ${d.note}` : '';
      return `Décision ${quoted(d.title)} ${DECISION_STATUS_LABELS[d.status]}${e.kind === 'decision.superseded' ? replaced : by}${note}`;
    }
    case 'decision.updated':
      return `Décision ${quoted(e.data.title)} modifiée : ${changesText(e.data.changes)}`;
    case 'regulatory.drafted':
      return `${DRAFT_KIND_LABELS[e.data.draftKind]} : brouillon ${shortId(e.data.draftId)} ouvert`;
    case 'regulatory.sent':
      return `${DRAFT_KIND_LABELS[e.data.draftKind]} envoyée${e.data.sentVia ? ` via ${e.data.sentVia}` : ''}${e.data.reference ? ` (réf. ${e.data.reference})` : ''}${e.data.sentAt ? ` le ${e.data.sentAt}` : ''}`;
    case 'report.published':
      return `Point de situation n° ${e.data.number} publié${e.data.publishedBy !== e.author ? ` par ${e.data.publishedBy}` : ''} (période ${e.data.windowFrom.slice(0, 16).replace('T', ' ')} → ${e.data.windowTo.slice(0, 16).replace('T', ' ')} UTC)`;
    case 'member.joined':
      return `${e.data.member} rejoint la cellule${e.data.role ? ` (${e.data.role})` : ''}`;
    case 'member.role_changed':
      return `${e.data.member} : rôle ${value(e.data.previousRole)} → ${value(e.data.role)}`;
    case 'member.left':
      return `${e.data.member} quitte la cellule${e.data.role ? ` (${e.data.role})` : ''}`;
  }
}

/** The free text that goes with an event: a log entry's text, a decision's statement. */
export function eventText(e: TimelineEvent): string {
  switch (e.kind) {
    case 'log.entry':
    case 'log.amendment':
      return e.data.text;
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

export function kindLabel(e: TimelineEvent): string {
  return KIND_LABELS[e.kind];
}

/** The paper marker of a transcribed entry: who wrote it by hand, and the sheet. */
export function paperText(paper: { writer: string; sheet?: string | undefined }): string {
  return `transcrit du papier, écrit par ${paper.writer}${paper.sheet ? `, feuille ${paper.sheet}` : ''}`;
}

function changesText(changes: Record<string, { from: unknown; to: unknown }>): string {
  return Object.entries(changes)
    .map(([field, c]) => `${field} ${value(c.from)} → ${value(c.to)}`)
    .join(' ; ');
}

