import { useEffect, useState } from 'preact/hooks';
import type { ExerciseClock, ExercisePublic } from '../../../shared/exercise/exerciseState';
import type { IncidentMeta } from '../../../shared/model/incident';
import { getPublicExercise } from './exerciseApi';
import { ApiError } from './http';

/**
 * An exercise's public view (`GET /api/incidents/:id/exercise/public`: the clock, who holds which
 * functional role), the one copy every screen reads: the band, the notices, the regulatory clocks
 * and the report cadence. Fetched once per incident whatever the number of screens showing it,
 * then again every REFRESH_MS and when the window comes back to the front (no socket event
 * carries the clock); screens tick locally from the clock between fetches (×N, frozen while
 * paused), and a pause or a change of speed shows within one refresh, at once in the animator's
 * own browser (`refreshExercisePublic` after each move).
 */
const REFRESH_MS = 5_000;

type Listener = (view: ExercisePublic | null) => void;
interface Entry {
  view: ExercisePublic | null;
  listeners: Set<Listener>;
  stop: (() => void) | null;
}
const entries = new Map<string, Entry>();

async function load(incidentId: string, entry: Entry): Promise<void> {
  try {
    entry.view = await getPublicExercise(incidentId);
  } catch (err) {
    // A real incident has no exercise clock; offline or refused: the last view known stands.
    if (err instanceof ApiError && err.code === 'NOT_AN_EXERCISE') entry.view = null;
    else return;
  }
  for (const listener of entry.listeners) listener(entry.view);
}

/** Fetches the view again now (e.g. after an animator moved the clock from this browser). */
export function refreshExercisePublic(incidentId: string): void {
  const entry = entries.get(incidentId);
  if (entry) void load(incidentId, entry);
}

function subscribe(incidentId: string, listener: Listener): () => void {
  let entry = entries.get(incidentId);
  if (!entry) entries.set(incidentId, (entry = { view: null, listeners: new Set(), stop: null }));
  const e = entry;
  e.listeners.add(listener);
  if (e.view !== null) listener(e.view);
  if (e.stop === null) {
    const refresh = () => void load(incidentId, e);
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    e.stop = () => {
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
    };
    refresh();
  }
  return () => {
    e.listeners.delete(listener);
    if (e.listeners.size === 0 && e.stop) {
      e.stop();
      e.stop = null;
    }
  };
}

/** The public view while the incident is an exercise; null for a real incident (never asked) or until the first answer. */
export function usePublicExercise(incidentId: string, isExercise: boolean): ExercisePublic | null {
  const id = isExercise ? incidentId : null;
  const [view, setView] = useState<ExercisePublic | null>(() => (id ? (entries.get(id)?.view ?? null) : null));
  useEffect(() => {
    if (id === null) {
      setView(null);
      return undefined;
    }
    setView(entries.get(id)?.view ?? null);
    return subscribe(id, setView);
  }, [id]);
  return id === null || view?.incidentId !== id ? null : view;
}

/** The exercise's clock when `meta` is an exercise (null until it is known, and for a real incident). */
export function useExerciseClock(meta: Pick<IncidentMeta, 'id' | 'exercise'> | null): ExerciseClock | null {
  return usePublicExercise(meta?.id ?? '', meta?.exercise === true)?.clock ?? null;
}
