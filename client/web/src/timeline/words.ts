import type { TimelineEvent, TimelineKind } from '../../../../shared/timeline/events';
import { KIND_LABELS } from '../../../../shared/timeline/labels';
import type { LaneId } from '../../../../shared/timeline/picture/collector';
import type { Lang } from '../i18n';
import { useI18n } from '../components/common/common';

/**
 * The words of the timeline view and of the past state, FR and EN. Kept beside the view rather
 * than in i18n.ts: one feature, one file to translate, and no edit of the shared dictionary.
 */
const fr = {
  tab: 'Chronologie',
  pictureLabel: 'Chronologie de l’incident : couloirs par type d’événement sur un axe du temps',
  zoomIn: 'Zoom avant',
  zoomOut: 'Zoom arrière',
  fit: 'Tout voir',
  refresh: 'Actualiser',
  autoRefresh: 'Suivre le direct',
  changed: 'Nouveaux changements',
  loading: 'Chargement de la chronologie…',
  failed: 'Chronologie indisponible',
  offline: 'Serveur injoignable.',
  events: (n: number) => (n <= 1 ? `${n} événement` : `${n.toLocaleString('fr-FR')} événements`),
  skipped: (n: number) => `${n} événement(s) d’un type inconnu non affiché(s)`,
  integrityBroken: 'Attention : la chaîne de hachage du journal est rompue.',
  window: 'Période affichée :',
  show: 'Afficher',
  groups: { incident: 'Incident', log: 'Main courante', task: 'Tâches', decision: 'Décisions', report: 'Points de situation', regulatory: 'Réglementaire', member: 'Membres' },
  lane: (id: LaneId, category: (c: string) => string) =>
    id.startsWith('log:') ? `MC — ${category(id.slice(4))}` : ({ incident: 'Incident', tasks: 'Tâches', decisions: 'Décisions', members: 'Membres' } as Record<string, string>)[id] ?? id,
  opened: 'Ouverture',
  detection: 'Détection',
  closed: 'Clôture',
  deadline: (id: string, label: string) => (id === 'cnil-72h' ? 'CNIL 72 h' : label),
  cursor: 'Instant choisi',
  overview: 'Vue d’ensemble : seuls les faits marquants sont dessinés un par un ; zoomez pour voir chaque événement.',
  keys: '+ / − : zoom · 0 : tout voir · ← → : déplacer (sur un événement : précédent / suivant) · glisser : déplacer · molette : zoom',
  details: 'Détails',
  pick: 'Survolez ou sélectionnez un événement pour voir ses détails.',
  serverTime: 'Heure serveur',
  eventTime: 'Heure déclarée',
  author: 'Auteur',
  writtenBy: 'Écrit par',
  kind: 'Type',
  stateHere: 'Voir l’état à cet instant',
  // as it was at T
  asOf: 'État à un instant',
  moment: 'Instant',
  momentExact: 'Instant exact',
  pastBanner: (time: string) => `État au ${time} — passé, lecture seule`,
  backToLive: 'Retour au direct',
  live: 'En direct',
  replaying: 'Reconstitution…',
  pastFailed: 'État passé indisponible',
  notYet: 'L’incident n’existait pas encore à cet instant.',
  nothing: 'Rien à cet instant.',
  pastLog: 'Main courante',
  pastTasks: 'Tâches',
  pastDecisions: 'Décisions',
  amends: 'rectifie une entrée',
  key: 'fait marquant',
  assignee: 'Assignée à',
};
type Words = typeof fr;

const en: Words = {
  tab: 'Timeline',
  pictureLabel: 'Incident timeline: swimlanes by kind of event on a time axis',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  fit: 'Fit',
  refresh: 'Refresh',
  autoRefresh: 'Follow live',
  changed: 'New changes',
  loading: 'Loading the timeline…',
  failed: 'Timeline unavailable',
  offline: 'Server unreachable.',
  events: (n: number) => (n === 1 ? '1 event' : `${n.toLocaleString('en-GB')} events`),
  skipped: (n: number) => `${n} event(s) of an unknown kind not shown`,
  integrityBroken: 'Warning: the journal hash chain is broken.',
  window: 'Shown period:',
  show: 'Show',
  groups: { incident: 'Incident', log: 'Log', task: 'Tasks', decision: 'Decisions', report: 'Situation reports', regulatory: 'Regulatory', member: 'Members' },
  lane: (id: LaneId, category: (c: string) => string) =>
    id.startsWith('log:') ? `Log — ${category(id.slice(4))}` : ({ incident: 'Incident', tasks: 'Tasks', decisions: 'Decisions', members: 'Members' } as Record<string, string>)[id] ?? id,
  opened: 'Opened',
  detection: 'Detection',
  closed: 'Closed',
  deadline: (id: string, label: string) => (id === 'cnil-72h' ? 'CNIL 72 h' : label),
  cursor: 'Chosen moment',
  overview: 'Overview: only key events are drawn one by one; zoom in to see every event.',
  keys: '+ / − : zoom · 0 : fit · ← → : pan (on an event: previous / next) · drag: pan · wheel: zoom',
  details: 'Details',
  pick: 'Hover or focus an event to see its details.',
  serverTime: 'Server time',
  eventTime: 'Stated time',
  author: 'Author',
  writtenBy: 'Written by',
  kind: 'Kind',
  stateHere: 'Show the state at this moment',
  asOf: 'As it was at',
  moment: 'Moment',
  momentExact: 'Exact moment',
  pastBanner: (time: string) => `As it was at ${time} — past state, read only`,
  backToLive: 'Back to live',
  live: 'Live',
  replaying: 'Replaying…',
  pastFailed: 'Past state unavailable',
  notYet: 'The incident did not exist yet at that moment.',
  nothing: 'Nothing at that moment.',
  pastLog: 'Log',
  pastTasks: 'Tasks',
  pastDecisions: 'Decisions',
  amends: 'corrects an entry',
  key: 'key event',
  assignee: 'Assigned to',
};

const KIND_EN: Record<TimelineKind, string> = {
  'incident.opened': 'Incident opened',
  'incident.updated': 'Incident changed',
  'incident.closed': 'Incident closed',
  'incident.reopened': 'Incident reopened',
  'log.entry': 'Log entry',
  'log.amendment': 'Correction',
  'log.verification': 'Verification changed',
  'task.created': 'Task created',
  'task.assigned': 'Task assigned',
  'task.moved': 'Task moved',
  'task.done': 'Task done',
  'task.updated': 'Task changed',
  'decision.proposed': 'Decision proposed',
  'decision.approved': 'Decision approved',
  'decision.rejected': 'Decision rejected',
  'decision.superseded': 'Decision superseded',
  'decision.revoked': 'Decision revoked',
  'decision.updated': 'Decision changed',
  'report.published': 'Situation report published',
  'regulatory.drafted': 'Notification drafted',
  'regulatory.sent': 'Notification sent',
  'member.joined': 'Member joined',
  'member.role_changed': 'Role changed',
  'member.left': 'Member left',
};

export function kindLabel(kind: TimelineKind, lang: Lang): string {
  return lang === 'fr' ? KIND_LABELS[kind] : KIND_EN[kind];
}

export function useWords(): Words {
  return useI18n().lang === 'fr' ? fr : en;
}

/** What an event is about in a few words (a title, a member, a status change), beside its kind. */
export function eventSubject(e: TimelineEvent, status: (s: string) => string): string {
  switch (e.kind) {
    case 'incident.opened':
      return e.data.title;
    case 'incident.updated':
    case 'decision.updated':
    case 'task.updated':
      return ('title' in e.data ? `${e.data.title} — ` : '') + Object.keys(e.data.changes).join(', ');
    case 'incident.closed':
    case 'incident.reopened':
      return '';
    case 'log.entry':
    case 'log.amendment':
      return e.data.source ?? '';
    case 'log.verification':
      return `${e.data.from ? `${e.data.from} → ` : ''}${e.data.state}`;
    case 'task.created':
    case 'task.done':
      return e.data.title;
    case 'task.assigned':
      return `${e.data.title} → ${e.data.to ?? '∅'}`;
    case 'task.moved':
      return `${e.data.title} : ${status(e.data.from)} → ${status(e.data.to)}`;
    case 'decision.proposed':
    case 'decision.approved':
    case 'decision.rejected':
    case 'decision.superseded':
    case 'decision.revoked':
      return e.data.title;
    case 'member.joined':
    case 'member.role_changed':
    case 'member.left':
      return `${e.data.member}${e.data.role ? ` (${e.data.role})` : ''}`;
    case 'report.published':
      return `n° ${e.data.number}`;
    case 'regulatory.drafted':
    case 'regulatory.sent':
      return [e.data.sentVia, e.data.reference].filter(Boolean).join(' — ');
  }
}

/** The long text of an event, if it has one: a log entry's text, a decision's statement and note. */
export function eventText(e: TimelineEvent): string {
  switch (e.kind) {
    case 'log.entry':
    case 'log.amendment':
      return e.data.text;
    case 'report.published':
      return e.data.conditions;
    case 'log.verification':
      return [e.data.text, e.data.note ? `« ${e.data.note} »` : ''].filter(Boolean).join('\n');
    case 'decision.proposed':
    case 'decision.approved':
    case 'decision.rejected':
    case 'decision.superseded':
    case 'decision.revoked':
      return [e.data.statement, e.data.note ? `« ${e.data.note} »` : ''].filter(Boolean).join('\n');
    default:
      return '';
  }
}
