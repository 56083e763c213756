/**
 * The zoom and pan arithmetic of the timeline view, kept pure (no DOM) so it can be reasoned
 * about alone: a window is a time range; zooming scales it around a point, panning shifts it;
 * both stay within bounds so the picture never gets lost far from the incident.
 */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** Closer than this the picture says nothing more (journal times are to the millisecond, people's to the minute). */
export const MIN_SPAN_MS = 30_000;

export function span(w: TimeWindow): number {
  return w.toMs - w.fromMs;
}

/**
 * Keeps a window within `extent` (the incident, deadlines included, with some margin): no
 * smaller than MIN_SPAN_MS, no larger than the extent, and overlapping it.
 */
export function clampWindow(w: TimeWindow, extent: TimeWindow): TimeWindow {
  const maxSpan = Math.max(MIN_SPAN_MS, span(extent));
  const s = Math.min(maxSpan, Math.max(MIN_SPAN_MS, span(w)));
  let from = w.fromMs;
  if (span(w) !== s) from = (w.fromMs + w.toMs) / 2 - s / 2;
  if (from < extent.fromMs) from = extent.fromMs;
  if (from + s > extent.toMs) from = Math.max(extent.fromMs, extent.toMs - s);
  return { fromMs: from, toMs: from + s };
}

/** Scales the window by `factor` (< 1 zooms in) keeping the time at `anchorMs` where it is on screen. */
export function zoomAt(w: TimeWindow, factor: number, anchorMs: number, extent: TimeWindow): TimeWindow {
  const f = Number.isFinite(factor) && factor > 0 ? factor : 1;
  const anchor = Math.min(w.toMs, Math.max(w.fromMs, anchorMs));
  return clampWindow({ fromMs: anchor - (anchor - w.fromMs) * f, toMs: anchor + (w.toMs - anchor) * f }, extent);
}

/** Shifts the window by `deltaMs` (positive: later). */
export function panBy(w: TimeWindow, deltaMs: number, extent: TimeWindow): TimeWindow {
  return clampWindow({ fromMs: w.fromMs + deltaMs, toMs: w.toMs + deltaMs }, extent);
}

/** The smallest window holding both. */
export function union(a: TimeWindow, b: TimeWindow): TimeWindow {
  return { fromMs: Math.min(a.fromMs, b.fromMs), toMs: Math.max(a.toMs, b.toMs) };
}
