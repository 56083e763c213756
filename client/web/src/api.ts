import type { IncidentMeta } from '../../../shared/model/incident';
import type { Severity } from '../../../shared/model/common';
import { localJson } from './settings';

const LIST_CACHE = 'crisis.incidents';

export interface IncidentList {
  incidents: IncidentMeta[];
  /** True when the server could not be reached and this is the last list seen. */
  stale: boolean;
}

/** Open incidents first, then the most recently opened. */
export function sortIncidents(list: IncidentMeta[]): IncidentMeta[] {
  return [...list].sort((a, b) => (a.status === b.status ? b.openedAt.localeCompare(a.openedAt) : a.status === 'open' ? -1 : 1));
}

async function fetchJson(url: string, init?: RequestInit, timeoutMs = 8_000): Promise<Response> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    return await fetch(url, { ...init, signal: ctrl.signal, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } finally {
    clearTimeout(timer);
  }
}

export async function listIncidents(): Promise<IncidentList> {
  try {
    const res = await fetchJson('/api/incidents');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as { incidents: IncidentMeta[] };
    localJson.set(LIST_CACHE, body.incidents);
    return { incidents: sortIncidents(body.incidents), stale: false };
  } catch {
    return { incidents: sortIncidents(localJson.get<IncidentMeta[]>(LIST_CACHE, [])), stale: true };
  }
}

export class OfflineError extends Error {}

export async function createIncident(input: { title: string; severity: Severity; detectedAt: string | null; author: string }): Promise<IncidentMeta> {
  let res: Response;
  try {
    res = await fetchJson('/api/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  } catch {
    throw new OfflineError('offline');
  }
  if (res.status !== 201) {
    let message = `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // keep the status
    }
    throw new Error(message);
  }
  const meta = (await res.json()) as IncidentMeta;
  localJson.set(LIST_CACHE, [meta, ...localJson.get<IncidentMeta[]>(LIST_CACHE, []).filter((m) => m.id !== meta.id)]);
  return meta;
}
