import { z } from 'zod';
import { IsoTimeSchema } from '../../../../shared/model/common';
import { IncidentMetaSchema, IncidentStateSchema, type IncidentMeta, type IncidentState } from '../../../../shared/model/incident';
import { TimelineEventSchema, type TimelineEvent } from '../../../../shared/timeline/events';
import { request } from '../http';

/**
 * The two REST reads behind the timeline view: the JSON timeline export (derived from the
 * journal) and the incident as it stood at a past time. Same-origin, the session cookie goes
 * along (GET: no CSRF header needed). Both are parsed at the edge like every other reply.
 */

/**
 * Only what the view uses of the export; the rest (journal heads, filter, producer) is left
 * out of the parse. Events are checked one by one so that one event of a kind this client does
 * not know yet (a newer server) costs that event, not the whole picture.
 */
const TimelineReplySchema = z.object({
  incident: IncidentMetaSchema,
  range: z.object({ from: IsoTimeSchema, to: IsoTimeSchema }),
  producedAt: IsoTimeSchema,
  deadlines: z.array(z.object({ id: z.string(), label: z.string(), due: IsoTimeSchema, basis: z.string() })),
  events: z.array(z.unknown()),
  integrity: z.object({ intact: z.boolean() }).passthrough(),
});

export interface TimelineData {
  incident: IncidentMeta;
  producedAt: string;
  deadlines: Array<{ id: string; label: string; due: string; basis: string }>;
  events: TimelineEvent[];
  /** Events this client could not read (unknown kinds): left out of the picture, counted. */
  skipped: number;
  intact: boolean;
}

/**
 * The whole timeline of an incident, for the picture, with its deadlines named in the reader's
 * language (`reader`: `lang=…&tz=…`). Large incidents take a while: a longer timeout.
 */
export async function fetchTimeline(incidentId: string, reader: string): Promise<TimelineData> {
  const reply = await request(`/api/incidents/${encodeURIComponent(incidentId)}/timeline?format=json&${reader}`, TimelineReplySchema, { timeoutMs: 120_000 });
  const events: TimelineEvent[] = [];
  let skipped = 0;
  for (const raw of reply.events) {
    const parsed = TimelineEventSchema.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else skipped += 1;
  }
  return { incident: reply.incident, producedAt: reply.producedAt, deadlines: reply.deadlines, events, skipped, intact: reply.integrity.intact };
}

/** The incident as it stood at `at` (replayed by the server from the journal). */
export function fetchStateAt(incidentId: string, at: Date): Promise<IncidentState> {
  return request(`/api/incidents/${encodeURIComponent(incidentId)}?at=${encodeURIComponent(at.toISOString())}`, IncidentStateSchema, { timeoutMs: 60_000 });
}
