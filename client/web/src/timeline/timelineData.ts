import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { IncidentSession } from '../../../sdk/incidentSession';
import { ApiError, OfflineError } from '../http';
import { type WindowData, fetchWindow } from './timelineApi';
import { MAX_POINTS } from './picture';

/** An error kept as a marker, worded at render time (in the language shown then). */
export const OFFLINE = '\u0000offline';
/** Buckets of the overview of the whole incident (finer than the bars: a zoom shows the right bars before its own window arrives). */
const OVERVIEW_BUCKETS = 1_000;

/**
 * The last whole-incident window a timeline view of the room drew, kept by the room across the
 * view's remount when the incident's documents finish opening (the view is drawn before them,
 * from REST): the picture stays on screen instead of going blank while the same window is
 * fetched again. Keyed by incident and reader (language and time zone of the words).
 */
export interface TimelineKeep {
  current: { key: string; data: WindowData } | null;
}

/**
 * The timeline itself, refetched when the live documents change (debounced) or on demand. The
 * live documents (`session`) are only listened to: null while they open, the REST answer alone.
 */
export function useTimelineData(incidentId: string, session: IncidentSession | null, reader: string, keep?: TimelineKeep) {
  const key = `${incidentId}?${reader}`;
  const [data, setData] = useState<WindowData | null>(() => (keep?.current?.key === key ? keep.current.data : null));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [follow, setFollow] = useState(true);
  const lastFetchMs = useRef(500);
  const seq = useRef(0);
  const load = useCallback(async () => {
    const mine = ++seq.current;
    const started = performance.now();
    setLoading(true);
    try {
      const next = await fetchWindow(incidentId, reader, { limit: MAX_POINTS, buckets: OVERVIEW_BUCKETS });
      if (mine !== seq.current) return;
      if (keep) keep.current = { key: `${incidentId}?${reader}`, data: next };
      setData(next);
      setLoadError(null);
      setDirty(false);
    } catch (err) {
      if (mine !== seq.current) return;
      setLoadError(err instanceof OfflineError ? OFFLINE : err instanceof ApiError ? err.message : String(err));
    } finally {
      if (mine === seq.current) setLoading(false);
      lastFetchMs.current = performance.now() - started;
    }
  }, [incidentId, reader, keep]);
  useEffect(() => {
    void load();
    return () => {
      seq.current += 1;
    };
  }, [load]);

  // Live changes: note them, and follow them after a pause that grows with what a fetch costs,
  // so a busy incident is not re-exported on every keystroke.
  const followRef = useRef(follow);
  followRef.current = follow;
  useEffect(() => {
    if (!session) return undefined;
    let timer = 0;
    const changed = () => {
      setDirty(true);
      if (!followRef.current) return;
      clearTimeout(timer);
      timer = window.setTimeout(() => void load(), Math.max(1_500, lastFetchMs.current * 4));
    };
    const offs = [session.onChange('meta', changed), session.onChange('log', changed), session.onChange('tasks', changed), session.onChange('decisions', changed)];
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [session, load]);

  return { data, loadError, loading, dirty, follow, setFollow, load };
}
