import type { TimelineEvent } from '../../../../shared/timeline/events';
import type { Words } from '../../../../shared/i18n';
import { useI18n } from '../components/common/common';

/**
 * The timeline tab's words come from the one table per language (shared/i18n/en|fr/timeline.ts),
 * shared with the exports' picture; kinds are labelled by `kindLabel` (shared/timeline/describe.ts)
 * and the event texts by `eventText` there, the same as every export.
 */
export { eventText, kindLabel } from '../../../../shared/timeline/describe';

export function useWords(): Words['timeline'] {
  return useI18n().words.timeline;
}

/** What an event is about in a few words (a title, a member, a status change), beside its kind. */
export function eventSubject(e: TimelineEvent, status: (s: string) => string, colon: string): string {
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
      return `${e.data.title}${colon} ${status(e.data.from)} → ${status(e.data.to)}`;
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
      return `#${e.data.number}`;
    case 'regulatory.drafted':
    case 'regulatory.sent':
      return [e.data.sentVia, e.data.reference].filter(Boolean).join(' — ');
  }
}

/** The note a verification or a decision change carries, if any: shown quoted under the text. */
export function eventNote(e: TimelineEvent): string | null {
  if (e.kind === 'log.verification' || e.kind.startsWith('decision.')) return ('note' in e.data && typeof e.data.note === 'string' && e.data.note) || null;
  return null;
}
