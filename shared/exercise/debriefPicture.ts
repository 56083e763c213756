import { type Lang, words } from '../i18n';
import { ACTIVITY_LANES, type ActivityLane, type Debrief, type ReactionKind, delayText, exerciseClockText } from './debrief';

/**
 * The debrief as a picture: swimlanes on the exercise clock (injects, log, tasks, decisions,
 * reports), a mark per inject and per record of the cell, and from each fired inject a line to
 * its first reaction, labelled with the delay in exercise time. Pure geometry (no drawing): the
 * server renders it to SVG and into the PDF, the web client may draw it too.
 */
export type DebriefLaneKey = 'injects' | ActivityLane;
export const DEBRIEF_LANES: readonly DebriefLaneKey[] = ['injects', ...ACTIVITY_LANES];

export const DEBRIEF_COLORS = {
  fired: '#c62828',
  skipped: '#9e9e9e',
  pending: '#bdbdbd',
  activity: '#78909c',
  reaction: '#1565c0',
  link: '#1565c0',
} as const;

export interface DebriefLane {
  key: DebriefLaneKey;
  label: string;
  y: number;
  height: number;
  count: number;
}

export interface DebriefMark {
  lane: DebriefLaneKey;
  x: number;
  y: number;
  /** Injects are diamonds (hollow when never fired), the cell's records circles. */
  shape: 'diamond' | 'circle';
  hollow: boolean;
  color: string;
  title: string;
}

export interface DebriefLink {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** The delay, written beside the line's middle. */
  label: string;
  labelX: number;
  labelY: number;
}

export interface DebriefTick {
  x: number;
  label: string;
}

export interface DebriefPicture {
  width: number;
  height: number;
  plot: { x0: number; x1: number; y0: number; y1: number };
  lanes: DebriefLane[];
  ticks: DebriefTick[];
  marks: DebriefMark[];
  links: DebriefLink[];
  /** The mark "EXERCISE — DO NOT SEND", drawn above the lanes. */
  mark: string;
  caption: string;
}

export interface DebriefPictureOptions {
  width: number;
  laneHeight?: number;
  labelWidth?: number;
}

const LANE_OF_REACTION: Record<ReactionKind, ActivityLane> = { log: 'log', task: 'task', decision: 'decision' };
/** A delay label's width per character, roughly, at the picture's label size (9 px). */
const LABEL_CHAR_WIDTH = 5;
const TICK_STEPS = [60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 21_600, 43_200, 86_400];

export function layoutDebriefPicture(d: Pick<Debrief, 'injects' | 'activity' | 'clock'>, lang: Lang, options: DebriefPictureOptions): DebriefPicture {
  const w = words(lang).debrief;
  const laneHeight = options.laneHeight ?? 28;
  const labelWidth = options.labelWidth ?? 110;
  const top = 22;
  const plot = { x0: labelWidth, x1: options.width - 28, y0: top, y1: top + laneHeight * DEBRIEF_LANES.length };
  // The span: the planned length and what happened; an inject never fired sits at its offset, at the right edge if beyond.
  const times = [...d.injects.flatMap((i) => (i.firedAtExerciseSeconds === null ? [] : [i.firedAtExerciseSeconds])), ...d.injects.flatMap((i) => (i.reaction?.exerciseSeconds != null ? [i.reaction.exerciseSeconds] : [])), ...d.activity.flatMap((a) => (a.exerciseSeconds === null ? [] : [a.exerciseSeconds]))];
  const span = Math.max(60, d.clock.durationMinutes * 60, ...times);
  const x = (seconds: number) => plot.x0 + (Math.min(span, Math.max(0, seconds)) / span) * (plot.x1 - plot.x0);
  const laneY = (key: DebriefLaneKey) => plot.y0 + DEBRIEF_LANES.indexOf(key) * laneHeight + laneHeight / 2;
  const counts: Record<DebriefLaneKey, number> = { injects: d.injects.length, log: 0, task: 0, decision: 0, report: 0 };
  for (const a of d.activity) counts[a.lane] += 1;
  const lanes = DEBRIEF_LANES.map((key, i) => ({ key, label: w.lanes[key], y: plot.y0 + i * laneHeight, height: laneHeight, count: counts[key] }));

  const step = TICK_STEPS.find((s) => span / s <= 12) ?? 86_400;
  const ticks: DebriefTick[] = [];
  for (let s = 0; s <= span; s += step) ticks.push({ x: x(s), label: exerciseClockText(s).slice(0, -3) });

  const marks: DebriefMark[] = [];
  for (const a of d.activity) if (a.exerciseSeconds !== null) marks.push({ lane: a.lane, x: x(a.exerciseSeconds), y: laneY(a.lane), shape: 'circle', hollow: false, color: DEBRIEF_COLORS.activity, title: `${w.lanes[a.lane]} ${exerciseClockText(a.exerciseSeconds)}` });
  const links: DebriefLink[] = [];
  /** Per lane, where the last delay label ends: a label that would overlap it goes under its mark instead. */
  const labelEnds = new Map<DebriefLaneKey, number>();
  for (const inject of d.injects) {
    const at = inject.firedAtExerciseSeconds ?? inject.offsetSeconds;
    const ix = x(at);
    const iy = laneY('injects');
    marks.push({ lane: 'injects', x: ix, y: iy, shape: 'diamond', hollow: inject.status !== 'fired', color: DEBRIEF_COLORS[inject.status], title: `${inject.id} — ${w.status[inject.status]} — ${exerciseClockText(at)}` });
    const r = inject.reaction;
    if (!r || r.exerciseSeconds === null) continue;
    const lane = LANE_OF_REACTION[r.kind];
    const rx = x(r.exerciseSeconds);
    const ry = laneY(lane);
    marks.push({ lane, x: rx, y: ry, shape: 'circle', hollow: false, color: DEBRIEF_COLORS.reaction, title: `${w.reactionKind[r.kind]} — ${inject.id} — ${exerciseClockText(r.exerciseSeconds)}` });
    const label = `+${delayText(r.delayExerciseSeconds ?? r.delaySeconds)}`;
    // Beside the reaction's mark (reactions sit on different lanes, so labels overlap less than at the lines' middles).
    const below = rx + 5 < (labelEnds.get(lane) ?? -Infinity) + 4;
    if (!below) labelEnds.set(lane, rx + 5 + label.length * LABEL_CHAR_WIDTH);
    links.push({ x1: ix, y1: iy, x2: rx, y2: ry, label, labelX: rx + 5, labelY: below ? ry + 10 : ry - 5 });
  }
  return { width: options.width, height: plot.y1 + 20, plot, lanes, ticks, marks, links, mark: words(lang).exerciseMark.mark, caption: w.picture };
}
