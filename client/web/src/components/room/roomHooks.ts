import { useEffect, useMemo } from 'preact/hooks';
import { roleAllows } from '../../../../../shared/auth/roles';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import type { IncidentSession, Presence } from '../../../../sdk/incidentSession';
import { useSignal } from '../../connection';
import { reportWords } from '../../i18n';
import type { Members } from '../../members';
import { View, navigate } from '../../router';
import { useWords as useTimelineWords } from '../../timeline/words';
import { useI18n } from '../common/common';

export function useMeta(session: IncidentSession): IncidentMeta | null {
  const tick = useSignal(useMemo(() => (n: () => void) => session.onChange('meta', n), [session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  return useMemo(() => session.meta.get(), [session, tick]);
}

export type PresentPerson = Presence & { id: number; me: boolean };

/** Who has the incident open (me first, then by name). */
export function usePresence(session: IncidentSession): PresentPerson[] {
  const tick = useSignal(useMemo(() => (n: () => void) => session.onPresence(n), [session]));
  return useMemo(() => {
    const mine = session.syncs.meta.doc.clientID;
    return [...session.presence()].map(([id, p]) => ({ ...p, id, me: id === mine })).sort((a, b) => Number(b.me) - Number(a.me) || a.name.localeCompare(b.name));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  }, [session, tick]);
}

/** What my role lets me do here. The server enforces it anyway; the page only leaves out what would be refused. */
export interface Rights {
  write: boolean;
  manage: boolean;
  /** Animators and evaluators of an exercise: the Animation tab (the chronogram, the observations). */
  animation: boolean;
  /** The role is known (from the server or from this browser's last visit). */
  known: boolean;
}

export function rightsOf(members: Members, admin: boolean): Rights {
  // Offline on a first visit: let the person write; the server decides when it is back.
  const unknownOffline = members.status === 'offline' && members.role === null;
  return {
    write: unknownOffline || roleAllows(members.role, 'write'),
    manage: roleAllows(members.role, 'manage') || (admin && members.status === 'ok'),
    animation: roleAllows(members.role, 'readExercise'),
    known: members.role !== null || members.status !== 'loading',
  };
}

/** The name of a room view, as its tab says it. */
export function useViewName(): (v: string) => string {
  const i18n = useI18n();
  const { t } = i18n;
  const timelineWords = useTimelineWords();
  const names: Record<string, string> = {
    log: t.viewLog,
    tasks: t.viewTasks,
    decisions: t.viewDecisions,
    reports: reportWords(i18n.lang).viewReports,
    regulatory: t.viewRegulatory,
    management: t.viewManagement,
    members: t.viewMembers,
    audit: t.viewAudit,
    timeline: timelineWords.tab,
    animation: t.exercise.tab,
  };
  return (v: string) => names[v] ?? v;
}

const VIEW_KEYS: Record<string, View> = { KeyJ: 'log', KeyK: 'tasks', KeyN: 'decisions', KeyB: 'reports', KeyG: 'regulatory', KeyL: 'timeline' };

function isEditable(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

/**
 * The room's keyboard: Alt+J/K/N/B/G/L open a view, Alt+H the handover, Alt+R the log's search,
 * Alt+A the add field of the view; in the log, typing anywhere writes in the quick-entry line.
 */
export function useRoomKeys(session: IncidentSession, view: View, openHandover: () => void, addRef: { current: HTMLInputElement | null }): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.altKey && !ev.ctrlKey && !ev.metaKey) {
        const target = VIEW_KEYS[ev.code];
        if (target) {
          ev.preventDefault();
          navigate({ page: 'room', incidentId: session.incidentId, view: target });
          return;
        }
        if (ev.code === 'KeyH') {
          ev.preventDefault();
          openHandover();
          return;
        }
        if (ev.code === 'KeyR') {
          ev.preventDefault();
          if (view !== 'log') navigate({ page: 'room', incidentId: session.incidentId, view: 'log' });
          requestAnimationFrame(() => document.getElementById('log-search')?.focus());
          return;
        }
        if (ev.code === 'KeyA' && view !== 'log') {
          ev.preventDefault();
          addRef.current?.focus();
          return;
        }
      }
      if (view === 'log' && !ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.key.length === 1 && !isEditable(document.activeElement) && !document.querySelector('.panel')) {
        document.getElementById('quick-entry')?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, view, openHandover, addRef]);
}

/** "Dr Anne Martin (DSI)" → "AM": the letters of the first and last words, titles and brackets aside. */
export function initials(name: string): string {
  const words = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 0 && !/^(dr|pr|m|mme|mr|mrs|ms)$/i.test(w));
  if (words.length === 0) return name.trim().slice(0, 1).toUpperCase() || '?';
  return ((words[0]![0] ?? '') + (words.length > 1 ? words[words.length - 1]![0] ?? '' : '')).toUpperCase();
}
