import { useEffect, useState } from 'preact/hooks';
import { z } from 'zod';
import { type ExerciseClock, ExerciseClockSchema } from '../../../../../shared/exercise/exerciseState';
import type { IncidentMeta } from '../../../../../shared/model/incident';
import { ApiError, request } from '../../http';

/**
 * The clock of an exercise, as every member may read it (`GET /api/incidents/:id/exercise/public`),
 * for the countdowns that count on it (regulatory clocks, report cadence). Fetched once per
 * incident whatever the number of screens showing it, then again every REFRESH_MS and when the
 * window comes back to the front: the countdowns tick locally from the clock between fetches
 * (×N, frozen while paused), and a pause or a change of speed shows within one refresh.
 */
const REFRESH_MS = 15_000;
/** Only the clock: the rest of the public view (roles…) may grow without this parse failing. */
const PublicClockSchema = z.object({ clock: ExerciseClockSchema.strip() }).passthrough();

type Listener = (clock: ExerciseClock | null) => void;
interface Entry {
  clock: ExerciseClock | null;
  listeners: Set<Listener>;
  stop: (() => void) | null;
}
const entries = new Map<string, Entry>();

async function load(incidentId: string, entry: Entry): Promise<void> {
  try {
    const body = await request(`/api/incidents/${encodeURIComponent(incidentId)}/exercise/public`, PublicClockSchema);
    entry.clock = body.clock;
  } catch (err) {
    // A real incident has no exercise clock; offline or refused: the last clock known stands.
    if (err instanceof ApiError && err.code === 'NOT_AN_EXERCISE') entry.clock = null;
    else return;
  }
  for (const listener of entry.listeners) listener(entry.clock);
}

/** Fetches the clock again now (e.g. after an animator moved it from this browser). */
export function refreshExerciseClock(incidentId: string): void {
  const entry = entries.get(incidentId);
  if (entry) void load(incidentId, entry);
}

function subscribe(incidentId: string, listener: Listener): () => void {
  let entry = entries.get(incidentId);
  if (!entry) entries.set(incidentId, (entry = { clock: null, listeners: new Set(), stop: null }));
  const e = entry;
  e.listeners.add(listener);
  if (e.clock !== null) listener(e.clock);
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

/** The exercise's clock when `meta` is an exercise (null until it is known, and for a real incident). */
export function useExerciseClock(meta: Pick<IncidentMeta, 'id' | 'exercise'> | null): ExerciseClock | null {
  const incidentId = meta?.exercise ? meta.id : null;
  const [clock, setClock] = useState<ExerciseClock | null>(() => (incidentId ? (entries.get(incidentId)?.clock ?? null) : null));
  useEffect(() => {
    if (incidentId === null) {
      setClock(null);
      return undefined;
    }
    return subscribe(incidentId, setClock);
  }, [incidentId]);
  return incidentId === null ? null : clock;
}
