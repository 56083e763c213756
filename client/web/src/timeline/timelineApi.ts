import { z } from 'zod';
import { IsoTimeSchema } from '../../../../shared/model/common';
import { IncidentMetaSchema, IncidentStateSchema, type IncidentMeta, type IncidentState } from '../../../../shared/model/incident';
import { TimelineEventSchema, type TimelineEvent } from '../../../../shared/timeline/events';
import { request } from '../http';

/**
 * The two REST reads behind the timeline view: windows of the timeline (derived from the
 * journal) and the incident as it stood at a past time. Same-origin, the session cookie goes
 * along (GET: no CSRF header needed). Both are parsed at the edge like every other reply.
 */

export interface TimelineData {
  incident: IncidentMeta;
  producedAt: string;
  deadlines: Array<{ id: string; label: string; due: string; basis: string }>;
  events: TimelineEvent[];
  /** Events this client could not read (unknown kinds): left out of the picture, counted. */
  skipped: number;
  intact: boolean;
}

const WindowReplySchema = z.object({
  incident: IncidentMetaSchema,
  producedAt: IsoTimeSchema,
  deadlines: z.array(z.object({ id: z.string(), label: z.string(), due: IsoTimeSchema, basis: z.string() })),
  window: z.object({ from: IsoTimeSchema, to: IsoTimeSchema }),
  total: z.number().int().min(0),
  overview: z.object({ buckets: z.number().int().min(0), lanes: z.array(z.string()), counts: z.array(z.array(z.number().int().min(0))) }),
  events: z.array(z.unknown()),
  highlights: z.array(z.unknown()),
  nextCursor: z.string().nullable(),
  integrity: z.object({ intact: z.boolean() }),
});

/** One window of the timeline: its events when they fit in a page, else its highlighted ones, and its overview. */
export interface WindowData extends TimelineData {
  window: { fromMs: number; toMs: number };
  /** Events in the window. */
  total: number;
  /** Every event of the window is in `events` (false: the highlighted ones only; `overview` counts them all). */
  complete: boolean;
  overview: { buckets: number; lanes: string[]; counts: number[][] };
}

function readEvents(raw: unknown[]): { events: TimelineEvent[]; skipped: number } {
  const events: TimelineEvent[] = [];
  let skipped = 0;
  for (const r of raw) {
    const parsed = TimelineEventSchema.safeParse(r);
    if (parsed.success) events.push(parsed.data);
    else skipped += 1;
  }
  return { events, skipped };
}

/**
 * A window of the timeline (`GET …/timeline/window`): the server cuts it from the incident it
 * keeps replayed, so the first picture of a 100,000-entry incident costs a page and an overview,
 * not the whole export. Without `from`/`to`: the whole incident. `intact`: the hash chains of
 * the records the server replayed, checked as it replayed them.
 */
export async function fetchWindow(incidentId: string, reader: string, q: { fromMs?: number; toMs?: number; limit: number; buckets: number }): Promise<WindowData> {
  const params = new URLSearchParams({ limit: String(q.limit), buckets: String(q.buckets) });
  if (q.fromMs !== undefined && q.toMs !== undefined) {
    params.set('from', new Date(Math.floor(q.fromMs)).toISOString());
    params.set('to', new Date(Math.ceil(q.toMs)).toISOString());
  }
  const reply = await request(`/api/incidents/${encodeURIComponent(incidentId)}/timeline/window?${params.toString()}&${reader}`, WindowReplySchema, { timeoutMs: 60_000 });
  const complete = reply.total <= reply.events.length;
  const read = readEvents(complete ? reply.events : reply.highlights);
  return {
    incident: reply.incident,
    producedAt: reply.producedAt,
    deadlines: reply.deadlines,
    events: read.events,
    skipped: read.skipped,
    intact: reply.integrity.intact,
    window: { fromMs: Date.parse(reply.window.from), toMs: Date.parse(reply.window.to) },
    total: reply.total,
    complete,
    overview: reply.overview,
  };
}

/** The incident as it stood at `at` (replayed by the server from the journal). */
export function fetchStateAt(incidentId: string, at: Date): Promise<IncidentState> {
  return request(`/api/incidents/${encodeURIComponent(incidentId)}?at=${encodeURIComponent(at.toISOString())}`, IncidentStateSchema, { timeoutMs: 60_000 });
}
