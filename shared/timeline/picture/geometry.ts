import type { Deadline } from '../deadlines';
import { type Lang, words } from '../../i18n';
import { dateFormatter } from '../../i18n/dates';
import { LANES, type LaneId, type MarkShape, type PictureData, laneLabel } from './collector';
import { timeTicks } from './timeAxis';
import type { InjectReaction, ReactionKind } from './reactions';

/**
 * The incident on a time axis, as plain shapes in pixel coordinates: the HTML export renders
 * them as SVG (svg.ts), the PDF export draws them with vector calls, and the browser client can
 * lay them out again for any time window (zoom) and draw them as it likes. Pure: same input,
 * same geometry.
 */
export interface PictureInput {
  title: string;
  openedAt: string;
  detectedAt: string | null;
  closedAt: string | null;
  deadlines: Deadline[];
  data: PictureData;
  timeZone: string;
  /** The language of the lanes, lines and axis. */
  lang: Lang;
  /** The time window to show; defaults to the whole incident. Zooming is choosing a smaller one. */
  window?: { fromMs: number; toMs: number };
  /** An exercise's injects and the reactions referring to them (reactions.ts), drawn as lines. */
  reactions?: readonly InjectReaction[];
}

export interface PictureOptions {
  width: number;
  laneHeight?: number;
  /** Pixels per density bin. */
  binWidth?: number;
  /** Room for the lane names on the left. */
  labelWidth?: number;
}

export interface PictureGeometry {
  width: number;
  height: number;
  window: { fromMs: number; toMs: number };
  plot: { x0: number; x1: number; y0: number; y1: number };
  lanes: Array<{ id: LaneId; label: string; y: number; height: number; count: number }>;
  ticks: Array<{ x: number; label: string; major: boolean }>;
  /** Event density: one bar per lane and bin holding events; height grows with the square root of the count. */
  bars: Array<{ x: number; y: number; width: number; height: number; count: number; lane: LaneId }>;
  marks: Array<{ x: number; y: number; size: number; shape: MarkShape; color: string; title: string }>;
  /** `anchor`: where the label sits against its line (end = to its left, near the right edge). */
  lines: Array<{ x: number; label: string; color: string; dashed: boolean; anchor: 'start' | 'end' }>;
  /** Lines whose time falls outside the window: stated at the edge instead. */
  offscale: Array<{ side: 'left' | 'right'; label: string; color: string }>;
  /** From an inject (its lane) to each reaction (its lane), when both are in the window and their lanes shown. */
  links: ReactionLink[];
}

export interface ReactionLink {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  kind: ReactionKind;
  injectEntryId: string;
  reactionId: string;
}

const AXIS_HEIGHT = 34;
const TOP = 32;

export const LINE_COLORS = { detection: '#c62828', opened: '#37474f', closed: '#37474f', deadline: '#6a1b9a' } as const;

export function layoutPicture(input: PictureInput, options: PictureOptions): PictureGeometry {
  const laneHeight = options.laneHeight ?? 26;
  const binWidth = options.binWidth ?? 3;
  const width = options.width;
  const window = input.window ?? defaultWindow(input);
  const span = Math.max(1, window.toMs - window.fromMs);
  const x0 = options.labelWidth ?? 250;
  const x1 = width - 10;
  const xOf = (ms: number) => x0 + ((ms - window.fromMs) / span) * (x1 - x0);
  const inWindow = (ms: number) => ms >= window.fromMs && ms <= window.toMs;

  // Lanes: always the incident, log categories, tasks and decisions; members and injects only when there are any.
  const counts = new Array<number>(LANES.length).fill(0);
  for (let i = 0; i < input.data.lanes.length; i++) counts[input.data.lanes[i]!]! += 1;
  const shown = LANES.map((id, index) => ({ id, index })).filter(({ id, index }) => (id !== 'members' && id !== 'injects') || counts[index]! > 0);
  const lanes = shown.map(({ id, index }, row) => ({ id, label: laneLabel(id, input.lang), y: TOP + row * laneHeight, height: laneHeight, count: counts[index]! }));
  const y0 = TOP;
  const y1 = TOP + lanes.length * laneHeight;
  const laneY = new Map(lanes.map((l) => [l.id, l]));

  // Density bins per lane.
  const bins = Math.max(1, Math.floor((x1 - x0) / binWidth));
  const grid = new Uint32Array(LANES.length * bins);
  for (let i = 0; i < input.data.times.length; i++) {
    const ms = input.data.times[i]!;
    if (!inWindow(ms)) continue;
    const bin = Math.min(bins - 1, Math.floor(((ms - window.fromMs) / span) * bins));
    grid[input.data.lanes[i]! * bins + bin]! += 1;
  }
  let max = 1;
  for (const v of grid) if (v > max) max = v;
  const bars: PictureGeometry['bars'] = [];
  for (const lane of lanes) {
    const index = LANES.indexOf(lane.id);
    for (let b = 0; b < bins; b++) {
      const count = grid[index * bins + b]!;
      if (count === 0) continue;
      const height = Math.max(2, Math.sqrt(count / max) * (laneHeight - 8));
      bars.push({ x: x0 + b * binWidth, y: lane.y + laneHeight - 3 - height, width: Math.max(1, binWidth - 0.5), height, count, lane: lane.id });
    }
  }

  const marks = input.data.marks
    .filter((m) => inWindow(m.atMs) && laneY.has(m.lane))
    .map((m) => ({ x: xOf(m.atMs), y: laneY.get(m.lane)!.y + laneHeight / 2, size: 5, shape: m.shape, color: m.color, title: m.title }));

  const w = words(input.lang);
  const namedTimes: Array<{ ms: number; label: string; color: string; dashed: boolean }> = [
    { ms: Date.parse(input.openedAt), label: w.exports.opened, color: LINE_COLORS.opened, dashed: false },
    ...(input.detectedAt ? [{ ms: Date.parse(input.detectedAt), label: w.exports.detection, color: LINE_COLORS.detection, dashed: true }] : []),
    ...(input.closedAt ? [{ ms: Date.parse(input.closedAt), label: w.exports.closed, color: LINE_COLORS.closed, dashed: false }] : []),
    ...input.deadlines.map((d) => ({ ms: Date.parse(d.due), label: w.regulatory.deadlines[d.id as keyof typeof w.regulatory.deadlines]?.label ?? d.label, color: LINE_COLORS.deadline, dashed: true })),
  ];
  const lines = namedTimes
    .filter((t) => inWindow(t.ms))
    .map((t) => {
      const x = xOf(t.ms);
      return { x, label: t.label, color: t.color, dashed: t.dashed, anchor: x > x1 - 120 ? ('end' as const) : ('start' as const) };
    });
  const dates = dateFormatter(input.lang, input.timeZone);
  const offscale = namedTimes
    .filter((t) => !inWindow(t.ms))
    .map((t) => ({ side: t.ms < window.fromMs ? ('left' as const) : ('right' as const), label: `${t.label}${w.common.colon} ${dates.dateTimeShort(t.ms)}`, color: t.color }));

  const ticks = timeTicks(window.fromMs, window.toMs, dateFormatter(input.lang, input.timeZone), Math.max(3, Math.floor((x1 - x0) / 90))).map((t) => ({ x: xOf(t.ms), label: t.label, major: t.major }));
  const height = y1 + AXIS_HEIGHT + (offscale.length > 0 ? 16 * offscale.length : 0);
  const links = reactionLinks(input.reactions ?? [], inWindow, xOf, (lane) => laneY.get(lane));
  return { width, height, window, plot: { x0, x1, y0, y1 }, lanes, ticks, bars, marks, lines, offscale, links };
}

/** Each inject–reaction pair whose two ends are in the window, on lanes shown: a line between the lanes' middles. */
export function reactionLinks(reactions: readonly InjectReaction[], inWindow: (ms: number) => boolean, xOf: (ms: number) => number, laneOf: (lane: LaneId) => { y: number; height: number } | undefined): ReactionLink[] {
  const injectLane = laneOf('injects');
  if (!injectLane) return [];
  const links: ReactionLink[] = [];
  for (const r of reactions) {
    const lane = laneOf(r.reactionLane);
    if (!lane || !inWindow(r.injectMs) || !inWindow(r.reactionMs)) continue;
    links.push({ x1: xOf(r.injectMs), y1: injectLane.y + injectLane.height / 2, x2: xOf(r.reactionMs), y2: lane.y + lane.height / 2, kind: r.kind, injectEntryId: r.injectEntryId, reactionId: r.reactionId });
  }
  return links;
}

/**
 * The whole incident: from the earliest of opening, detection and first event to the latest of
 * closing and last event, with a little margin. Deadlines are left out (a 72-hour line would
 * squeeze a two-hour crisis to a sliver); when off the window they are stated at its edge.
 */
export function defaultWindow(input: Pick<PictureInput, 'openedAt' | 'detectedAt' | 'closedAt' | 'data'>): { fromMs: number; toMs: number } {
  let from = Date.parse(input.openedAt);
  let to = from;
  if (input.detectedAt) from = Math.min(from, Date.parse(input.detectedAt));
  if (input.closedAt) to = Math.max(to, Date.parse(input.closedAt));
  for (const ms of input.data.times) {
    if (ms < from) from = ms;
    if (ms > to) to = ms;
  }
  const span = Math.max(to - from, 10 * 60_000);
  const pad = span * 0.02;
  return { fromMs: from - pad, toMs: from + span + pad };
}
