import type { TimelineEvent } from '../../../../shared/timeline/events';
import { LANES, type LaneId, type PictureData, type PictureMark, laneOf, markShape } from '../../../../shared/timeline/picture/collector';
import { defaultWindow } from '../../../../shared/timeline/picture/geometry';
import type { IncidentMeta } from '../../../../shared/model/incident';
import { type TimeWindow, union } from './zoom';

/**
 * From timeline events to what `layoutPicture` takes, for the browser: every event's time and
 * lane (density bars), and marks chosen for the window on screen. Zoomed in (few events in the
 * window) every event is a mark of its own, so each can be hovered and read; zoomed out only the
 * highlighted ones (key facts, alerts, decisions, …) are, sampled evenly. A mark's `title`
 * carries the index of its event, so the drawing finds the event back.
 */

/** Above this many events in the window, only highlighted events are drawn one by one. */
export const MAX_POINTS = 400;

export interface Prepared {
  events: TimelineEvent[];
  times: Float64Array;
  lanes: Uint8Array;
  /** Indexes of events with a highlight shape, in time order. */
  highlighted: number[];
  /**
   * A window fetched without all its events (`events` holds its highlighted ones): one time per
   * event counted by the server's overview (its bucket's middle) and its lane, for the density
   * bars and the count; the marks are `events` as they are.
   */
  density?: { times: Float64Array; lanes: Uint8Array };
}

/** The events of a window as fetched: all of them, or its highlighted ones and the overview's counts (lanes `keepLane` lets through). */
export function prepareWindow(win: { events: TimelineEvent[]; complete: boolean; window: TimeWindow; overview: { buckets: number; lanes: string[]; counts: number[][] } }, keepLane: (lane: LaneId) => boolean): Prepared {
  const base = prepare(win.events);
  if (win.complete) return base;
  const { buckets, lanes, counts } = win.overview;
  let n = 0;
  counts.forEach((row, l) => {
    if (keepLane(lanes[l] as LaneId)) for (const c of row) n += c;
  });
  const times = new Float64Array(n);
  const laneOfTime = new Uint8Array(n);
  const bucketMs = (win.window.toMs - win.window.fromMs) / Math.max(1, buckets);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const at = win.window.fromMs + (b + 0.5) * bucketMs;
    counts.forEach((row, l) => {
      const lane = LANES.indexOf(lanes[l] as LaneId);
      if (lane < 0 || !keepLane(LANES[lane]!)) return;
      for (let c = row[b] ?? 0; c > 0; c--) {
        times[k] = at;
        laneOfTime[k++] = lane;
      }
    });
  }
  return { ...base, density: { times: times.subarray(0, k), lanes: laneOfTime.subarray(0, k) } };
}

export function prepare(events: TimelineEvent[]): Prepared {
  const times = new Float64Array(events.length);
  const lanes = new Uint8Array(events.length);
  const highlighted: number[] = [];
  events.forEach((e, i) => {
    times[i] = Date.parse(e.at);
    lanes[i] = LANES.indexOf(laneOf(e));
    if (markShape(e)) highlighted.push(i);
  });
  return { events, times, lanes, highlighted };
}

/** First index whose time is >= ms (times sorted ascending, as the export orders events). */
function lowerBound(times: Float64Array, ms: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface WindowMarks {
  data: PictureData;
  /** Every event of the window is drawn (false: highlighted ones only). */
  complete: boolean;
  inWindow: number;
}

export function marksFor(p: Prepared, w: TimeWindow): WindowMarks {
  const start = lowerBound(p.times, w.fromMs);
  const end = lowerBound(p.times, w.toMs + 1);
  const own = end - start;
  const inWindow = p.density ? lowerBound(p.density.times, w.toMs + 1) - lowerBound(p.density.times, w.fromMs) : own;
  const marks: PictureMark[] = [];
  const markOf = (i: number): PictureMark => {
    const e = p.events[i]!;
    const shape = markShape(e);
    return { atMs: p.times[i]!, lane: LANES[p.lanes[i]!] as LaneId, shape: shape?.shape ?? 'circle', color: shape?.color ?? PLAIN_COLOR, title: String(i), priority: shape?.priority ?? 0 };
  };
  if (own <= MAX_POINTS) {
    for (let i = start; i < end; i++) marks.push(markOf(i));
  } else {
    const chosen = p.highlighted.filter((i) => i >= start && i < end);
    // Too many even so: the highest priorities first, each spread evenly over the window.
    const byPriority = new Map<number, number[]>();
    for (const i of chosen) {
      const prio = markShape(p.events[i]!)?.priority ?? 0;
      const list = byPriority.get(prio);
      if (list) list.push(i);
      else byPriority.set(prio, [i]);
    }
    let room = MAX_POINTS;
    for (const prio of [...byPriority.keys()].sort((a, b) => b - a)) {
      const list = byPriority.get(prio)!;
      const take = Math.min(room, list.length);
      for (let k = 0; k < take; k++) marks.push(markOf(list[Math.floor((k * list.length) / take)]!));
      room -= take;
      if (room <= 0) break;
    }
    marks.sort((a, b) => a.atMs - b.atMs);
  }
  return { data: { times: p.density?.times ?? p.times, lanes: p.density?.lanes ?? p.lanes, marks }, complete: !p.density && inWindow <= MAX_POINTS, inWindow };
}

/** Plain events (not highlighted) when drawn one by one. */
export const PLAIN_COLOR = '#5b6775';

/** The whole incident (what "fit" shows) and how far zooming out and panning may go (deadlines included). */
export function windows(meta: Pick<IncidentMeta, 'openedAt' | 'detectedAt' | 'closedAt'>, p: Prepared, deadlines: Array<{ due: string }>, nowMs: number): { fit: TimeWindow; extent: TimeWindow } {
  const fit = defaultWindow({ ...meta, data: { times: p.density?.times ?? p.times, lanes: p.density?.lanes ?? p.lanes, marks: [] } });
  let extent = union(fit, { fromMs: fit.fromMs, toMs: Math.max(fit.toMs, nowMs) });
  for (const d of deadlines) {
    const ms = Date.parse(d.due);
    extent = union(extent, { fromMs: ms, toMs: ms });
  }
  const pad = (extent.toMs - extent.fromMs) * 0.03;
  return { fit, extent: { fromMs: extent.fromMs - pad, toMs: extent.toMs + pad } };
}
