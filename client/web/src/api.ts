import { z } from 'zod';
import { IncidentMetaSchema } from '../../../shared/model/incident';
import type { IncidentMeta } from '../../../shared/model/incident';
import type { Severity } from '../../../shared/model/common';
import { OfflineError, request } from './http';
import { localJson } from './settings';
import { type TemplateLanguage, type TemplateSummary, TemplateListSchema } from '../../../shared/templates/incidentTemplate';

const listCacheKey = (userId: string) => `crisis.incidents.${userId}`;

export interface IncidentList {
  incidents: IncidentMeta[];
  /** Exercises, listed apart: they never mix with real incidents. */
  exercises: IncidentMeta[];
  /** True when the server could not be reached and this is the last list seen. */
  stale: boolean;
}

/** Open incidents first, then the most recently opened. */
export function sortIncidents(list: IncidentMeta[]): IncidentMeta[] {
  return [...list].sort((a, b) => (a.status === b.status ? b.openedAt.localeCompare(a.openedAt) : a.status === 'open' ? -1 : 1));
}

function apart(incidents: IncidentMeta[], exercises: IncidentMeta[]): { incidents: IncidentMeta[]; exercises: IncidentMeta[] } {
  return { incidents: sortIncidents(incidents), exercises: sortIncidents(exercises) };
}

/** The incidents this user is a member of (the server filters); the last list seen when offline. */
export async function listIncidents(userId: string): Promise<IncidentList> {
  try {
    const body = await request('/api/incidents', z.object({ incidents: z.array(IncidentMetaSchema), exercises: z.array(IncidentMetaSchema).default([]) }));
    localJson.set(listCacheKey(userId), [...body.incidents, ...body.exercises]);
    return { ...apart(body.incidents, body.exercises), stale: false };
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    const known = localJson.get<IncidentMeta[]>(listCacheKey(userId), []);
    return { ...apart(known.filter((m) => m.exercise !== true), known.filter((m) => m.exercise === true)), stale: true };
  }
}

/** Creates an incident; the server makes the caller its director (the author comes from the session). */
export async function createIncident(userId: string, input: { title: string; severity: Severity; detectedAt: string | null; healthSector?: boolean; template?: string; language?: TemplateLanguage }): Promise<IncidentMeta> {
  const meta = await request('/api/incidents', IncidentMetaSchema, { method: 'POST', body: input });
  localJson.set(listCacheKey(userId), [meta, ...localJson.get<IncidentMeta[]>(listCacheKey(userId), []).filter((m) => m.id !== meta.id)]);
  return meta;
}

/** The incident templates of the server (its templates/ folder and TEMPLATES_DIR); none when it cannot be reached. */
export async function listTemplates(): Promise<TemplateSummary[]> {
  try {
    return (await request('/api/templates', TemplateListSchema)).templates;
  } catch (err) {
    if (err instanceof OfflineError) return [];
    throw err;
  }
}

/** The paper crisis kit of an incident (PDF), in the reader's language and time zone. */
export function kitUrl(incidentId: string, lang: TemplateLanguage, timeZone: string): string {
  return `/api/incidents/${encodeURIComponent(incidentId)}/kit.pdf?lang=${lang}&tz=${encodeURIComponent(timeZone)}`;
}

/** Forgets the cached list (at logout: the next person on this computer must not see it). */
export function forgetIncidentList(userId: string): void {
  localJson.set(listCacheKey(userId), null);
}

export { OfflineError };
