import type { TimelineEvent } from '../../shared/timeline/events';
import { LANES, laneOf, markShape } from '../../shared/timeline/picture/collector';
import { type MergedTimeline, lowerBound } from './mergedTimeline';

/** What a window of the timeline asks for: a time range, a page of its events, and how fine its overview is. */
export interface WindowQuery {
  fromMs: number;
  toMs: number;
  /** Events per page; above it, the window also answers its highlighted events (at most `limit`). */
  limit: number;
  /** Events of the window to skip (the previous page's `nextCursor`). */
  cursor: number;
  /** Time buckets of the overview (0: none). */
  buckets: number;
}

export interface WindowCut {
  /** Events in the window (extra sources included). */
  total: number;
  /** `counts[lane][bucket]`, lanes in the order of `LANES`. */
  overview: { buckets: number; lanes: readonly string[]; counts: number[][] };
  events: TimelineEvent[];
  nextCursor: number | null;
  /** When `total > limit`: the highlighted events to draw one by one, highest priorities first, each spread evenly over the window. */
  highlights: TimelineEvent[];
}

/**
 * Cuts a window out of the merged timeline by binary search: its overview (counts per lane and
 * time bucket), a page of its events in time order and, when there are more than a page, its
 * highlighted events sampled like the browser's picture does. `extra` are the events of the
 * extra sources in the window (membership changes: a few), merged in by time.
 */
export function cutWindow(merged: MergedTimeline, extra: TimelineEvent[], q: WindowQuery): WindowCut {
  const start = lowerBound(merged.times, q.fromMs);
  const end = lowerBound(merged.times, q.toMs + 1);
  const extraIn = extra.filter((e) => {
    const ms = Date.parse(e.at);
    return ms >= q.fromMs && ms <= q.toMs;
  });
  const total = end - start + extraIn.length;
  const counts = LANES.map(() => new Array<number>(q.buckets).fill(0));
  if (q.buckets > 0) {
    const span = Math.max(1, q.toMs - q.fromMs);
    const add = (ms: number, lane: number) => {
      counts[lane]![Math.min(q.buckets - 1, Math.floor(((ms - q.fromMs) / span) * q.buckets))]! += 1;
    };
    for (let i = start; i < end; i++) add(merged.times[i]!, merged.lanes[i]!);
    for (const e of extraIn) add(Date.parse(e.at), LANES.indexOf(laneOf(e)));
  }
  // The page: the merged events from the cursor, the extra ones slotted in by time (ties: journal first).
  const events: TimelineEvent[] = [];
  let i = start;
  let x = 0;
  for (let skipped = 0; skipped < q.cursor && (i < end || x < extraIn.length); skipped++) {
    if (x >= extraIn.length || (i < end && merged.events[i]!.at <= extraIn[x]!.at)) i++;
    else x++;
  }
  while (events.length < q.limit && (i < end || x < extraIn.length)) {
    if (x >= extraIn.length || (i < end && merged.events[i]!.at <= extraIn[x]!.at)) events.push(merged.events[i++]!);
    else events.push(extraIn[x++]!);
  }
  const nextCursor = q.cursor + events.length < total ? q.cursor + events.length : null;
  return { total, overview: { buckets: q.buckets, lanes: LANES, counts }, events, nextCursor, highlights: total > q.limit ? highlightsOf(merged, extraIn, start, end, q.limit) : [] };
}

/** Up to `max` highlighted events of [start, end): highest priorities first, each priority sampled evenly (as client/web/src/timeline/picture.ts). */
function highlightsOf(merged: MergedTimeline, extra: TimelineEvent[], start: number, end: number, max: number): TimelineEvent[] {
  const lo = lowerBound(merged.highlighted, start);
  const hi = lowerBound(merged.highlighted, end);
  const byPriority = new Map<number, TimelineEvent[]>();
  const add = (prio: number, e: TimelineEvent) => {
    const list = byPriority.get(prio);
    if (list) list.push(e);
    else byPriority.set(prio, [e]);
  };
  for (let k = lo; k < hi; k++) add(merged.priorities[k]!, merged.events[merged.highlighted[k]!]!);
  for (const e of extra) {
    const shape = markShape(e);
    if (shape) add(shape.priority, e);
  }
  const out: TimelineEvent[] = [];
  let room = max;
  for (const prio of [...byPriority.keys()].sort((a, b) => b - a)) {
    const list = byPriority.get(prio)!;
    // Journal events come in time order already; extra ones were appended after them.
    if (extra.length > 0) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const take = Math.min(room, list.length);
    for (let k = 0; k < take; k++) out.push(list[Math.floor((k * list.length) / take)]!);
    room -= take;
    if (room <= 0) break;
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
