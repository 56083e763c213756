import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ExercisePublic } from '../../../../../shared/exercise/exerciseState';
import type { LogEntry } from '../../../../../shared/model/log';
import type { IncidentSession } from '../../../../sdk/incidentSession';
import { useSignal } from '../../connection';
import { localJson } from '../../settings';
import { announce, useI18n } from '../common/common';
import './exercise.css';

type InjectEntry = LogEntry & { inject: NonNullable<LogEntry['inject']> };

const readKey = (userId: string, incidentId: string) => `crisis.injectsRead.${userId}.${incidentId}`;

/** The ids of the inject entries this person marked read, kept in this browser until read. */
function useReadIds(userId: string, incidentId: string): [Set<string>, (ids: string[]) => void] {
  const key = readKey(userId, incidentId);
  const [read, setRead] = useState(() => new Set(localJson.get<string[]>(key, [])));
  useEffect(() => setRead(new Set(localJson.get<string[]>(key, []))), [key]);
  const markRead = (ids: string[]) => {
    const next = new Set([...read, ...ids]);
    localJson.set(key, [...next]);
    setRead(next);
  };
  return [read, markRead];
}

/**
 * An inject that reaches the players is a log entry; addressed to a functional role, it is also
 * a notice to whoever holds that role (the public view says who), prominent and kept until read.
 * Injects to the whole cell give a lighter notice. Nothing outside an exercise.
 */
export function InjectNotices({ session, exercise, meId }: { session: IncidentSession; exercise: ExercisePublic | null; meId: string }) {
  const { t } = useI18n();
  const w = t.exercise;
  const logTick = useSignal(useMemo(() => (n: () => void) => session.onChange('log', n), [session]));
  const [read, markRead] = useReadIds(meId, session.incidentId);
  const mine = useMemo(() => new Map((exercise?.roles ?? []).filter((r) => r.holders.includes(meId)).map((r) => [r.id, r.label])), [exercise, meId]);
  const unread = useMemo(() => {
    if (!exercise) return [];
    const out: InjectEntry[] = [];
    for (const e of session.log.entries()) {
      if (!e.inject || read.has(e.id)) continue;
      if (e.inject.to === null || mine.has(e.inject.to)) out.push(e as InjectEntry);
    }
    // Addressed to me first, then the newest.
    return out.sort((a, b) => Number(b.inject.to !== null) - Number(a.inject.to !== null) || b.recordedAt.localeCompare(a.recordedAt));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the log changes in place, and the tick says when
  }, [session, logTick, read, mine, exercise]);

  // A new notice for me is said to screen readers too.
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const ids = new Set(unread.map((e) => e.id));
    const fresh = seen.current ? unread.filter((e) => !seen.current!.has(e.id) && e.inject.to !== null) : [];
    seen.current = ids;
    if (fresh[0]) announce(w.noticeArrived(fresh[0].inject.from));
  }, [unread, w]);

  if (unread.length === 0) return null;
  return (
    <aside class="inject-notices" aria-labelledby="inject-notices-title" data-testid="inject-notices">
      <div class="inject-notices-head">
        <h2 id="inject-notices-title">
          {w.noticesTitle} <span class="muted-count">({w.noticesUnread(unread.length)})</span>
        </h2>
        {unread.length > 1 && (
          <button type="button" class="small" data-testid="notices-read-all" onClick={() => markRead(unread.map((e) => e.id))}>
            {w.noticeReadAll}
          </button>
        )}
      </div>
      {unread.map((e) => (
        <article key={e.id} class={`inject-notice ${e.inject.to === null ? 'cell' : 'role'}`} data-testid="inject-notice" data-inject={e.inject.id} data-to={e.inject.to ?? ''}>
          <div class="inject-notice-body">
            <p class="inject-notice-meta">
              <span>{e.inject.to === null ? w.noticesCell : w.noticeFor(mine.get(e.inject.to) ?? e.inject.to)}</span>
              <span>{w.channels[e.inject.channel]}</span>
              <span>{w.noticeFrom(e.inject.from)}</span>
            </p>
            <p class="inject-notice-text">{e.text}</p>
          </div>
          <button type="button" class="small" data-testid="notice-read" onClick={() => markRead([e.id])}>
            {w.noticeRead}
          </button>
        </article>
      ))}
    </aside>
  );
}
