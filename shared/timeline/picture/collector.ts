import { LOG_CATEGORIES, type LogCategory } from '../../model/log';
import type { DecisionStatus } from '../../model/decisions';
import type { TimelineEvent } from '../events';
import { kindGroup } from '../events';
import { type Lang, words } from '../../i18n';
import { dateFormatter } from '../../i18n/dates';
import { describeEvent } from '../describe';

/**
 * Swimlanes, top to bottom: the incident itself, an exercise's injects (the outside world, played
 * by the animators), the log by category, the board, decisions, members.
 */
export const LANES = ['incident', 'injects', ...LOG_CATEGORIES.map((c) => `log:${c}` as const), 'tasks', 'decisions', 'members'] as const;
export type LaneId = (typeof LANES)[number];

/** A lane's name in the reader's language (the screen and the exports alike). */
export function laneLabel(id: LaneId, lang: Lang): string {
  const w = words(lang);
  if (id.startsWith('log:')) return w.timeline.lanes.log(w.enums.category[id.slice(4) as LogCategory]);
  return w.timeline.lanes[id as Exclude<LaneId, `log:${string}`>];
}

export type MarkShape = 'diamond' | 'triangle' | 'star' | 'circle' | 'square' | 'flag';

/** One highlighted event: drawn individually, with its description as a tooltip. */
export interface PictureMark {
  atMs: number;
  lane: LaneId;
  shape: MarkShape;
  color: string;
  title: string;
  /** Higher first when there are more marks than the picture can show. */
  priority: number;
}

export const MARK_COLORS = {
  key: '#b8860b',
  alert: '#c62828',
  approved: '#2e7d32',
  proposed: '#607d8b',
  rejected: '#6d4c41',
  superseded: '#ef6c00',
  revoked: '#ad1457',
  taskDone: '#2e7d32',
  incident: '#1a237e',
  inject: '#6929c4',
} as const;

/** Marks of one lane and priority, sampled evenly: every `stride`-th one is kept. */
interface Sample {
  stride: number;
  seen: number;
  kept: Array<{ mark: PictureMark; index: number }>;
}

/**
 * Collects what the picture needs while the events stream past, without keeping the events:
 * a time and a lane per event (typed arrays: 100,000 events take under 1 MB) and the
 * highlighted events as marks, at most `marksPerLane` per lane, highest priority first. Within
 * a priority, marks are sampled evenly over the stream (keep every n-th, doubling n when full),
 * so what stays is spread over the whole crisis, not bunched at its start or end.
 */
export class PictureCollector {
  private times = new Float64Array(1024);
  private lanes = new Uint8Array(1024);
  count = 0;
  private readonly samples = new Map<string, Sample>();

  /** Marks' titles are written in `lang`, their times in `timeZone`. */
  constructor(
    private readonly lang: Lang,
    private readonly timeZone: string,
    private readonly marksPerLane = 150,
  ) {}

  add(e: TimelineEvent): void {
    const atMs = Date.parse(e.at);
    const lane = laneOf(e);
    if (this.count === this.times.length) {
      const times = new Float64Array(this.count * 2);
      times.set(this.times);
      this.times = times;
      const lanes = new Uint8Array(this.count * 2);
      lanes.set(this.lanes);
      this.lanes = lanes;
    }
    this.times[this.count] = atMs;
    this.lanes[this.count] = LANES.indexOf(lane);
    this.count += 1;
    const mark = markOf(e, atMs, lane, this.lang, this.timeZone);
    if (!mark) return;
    const key = `${lane}|${mark.priority}`;
    let sample = this.samples.get(key);
    if (!sample) this.samples.set(key, (sample = { stride: 1, seen: 0, kept: [] }));
    const index = sample.seen++;
    if (index % sample.stride !== 0) return;
    sample.kept.push({ mark, index });
    if (sample.kept.length > this.marksPerLane) {
      sample.stride *= 2;
      sample.kept = sample.kept.filter((k) => k.index % sample!.stride === 0);
    }
  }

  /** The collected data, in the shape layoutPicture takes. */
  data(): PictureData {
    const byLane = new Map<LaneId, PictureMark[][]>();
    for (const [key, sample] of this.samples) {
      const lane = key.slice(0, key.lastIndexOf('|')) as LaneId;
      const lists = byLane.get(lane) ?? [];
      lists.push(sample.kept.map((k) => k.mark));
      byLane.set(lane, lists);
    }
    const marks: PictureMark[] = [];
    for (const lists of byLane.values()) {
      let room = this.marksPerLane;
      for (const list of lists.sort((a, b) => b[0]!.priority - a[0]!.priority)) {
        if (room <= 0) break;
        // Fewer slots than marks: an even subset again.
        const step = list.length / Math.min(room, list.length);
        for (let i = 0; i < Math.min(room, list.length); i++) marks.push(list[Math.floor(i * step)]!);
        room -= Math.min(room, list.length);
      }
    }
    return { times: this.times.subarray(0, this.count), lanes: this.lanes.subarray(0, this.count), marks: marks.sort((a, b) => a.atMs - b.atMs) };
  }
}

export interface PictureData {
  times: Float64Array;
  /** Index into LANES of each event. */
  lanes: Uint8Array;
  marks: PictureMark[];
}

export function laneOf(e: TimelineEvent): LaneId {
  switch (kindGroup(e.kind)) {
    case 'incident':
      return 'incident';
    case 'log':
      if (e.kind === 'log.entry' && e.data.inject) return 'injects';
      return e.kind === 'log.entry' || e.kind === 'log.amendment' ? `log:${e.data.category}` : 'log:information';
    case 'task':
      return 'tasks';
    case 'decision':
      return 'decisions';
    // Notifications to authorities are incident-level milestones: on the incident lane.
    case 'regulatory':
    case 'report':
      return 'incident';
    case 'member':
      return 'members';
  }
}

function markOf(e: TimelineEvent, atMs: number, lane: LaneId, lang: Lang, timeZone: string): PictureMark | null {
  const shape = markShape(e);
  if (!shape) return null;
  const status = 'status' in e.data && e.kind.startsWith('decision.') && e.kind !== 'decision.updated' ? ` (${words(lang).enums.decision[(e.data as { status: DecisionStatus }).status]})` : '';
  const title = `${dateFormatter(lang, timeZone).dateTime(atMs)} — ${e.author} — ${describeEvent(e, lang, timeZone)}${status}`;
  return { atMs, lane, shape: shape.shape, color: shape.color, title, priority: shape.priority };
}

/**
 * How an event is marked, if it is: decided before any text is built (most events are not marked).
 * Exported for the browser client, which draws its own marks (one per event when zoomed in).
 */
export function markShape(e: TimelineEvent): { shape: MarkShape; color: string; priority: number } | null {
  switch (e.kind) {
    case 'incident.opened':
    case 'incident.closed':
    case 'incident.reopened':
      return { shape: 'square', color: MARK_COLORS.incident, priority: 10 };
    case 'log.entry':
    case 'log.amendment':
      if (e.kind === 'log.entry' && e.data.inject) return { shape: 'flag', color: MARK_COLORS.inject, priority: 8 };
      if (e.data.key) return { shape: 'star', color: MARK_COLORS.key, priority: 6 };
      if (e.data.category === 'alert' && (e.data.severity === 'critical' || e.data.severity === 'high')) return { shape: 'triangle', color: MARK_COLORS.alert, priority: e.data.severity === 'critical' ? 5 : 3 };
      return null;
    case 'decision.approved':
    case 'decision.proposed':
    case 'decision.rejected':
    case 'decision.superseded':
    case 'decision.revoked':
      return { shape: 'diamond', color: MARK_COLORS[e.data.status], priority: e.kind === 'decision.proposed' ? 4 : 7 };
    case 'task.done':
      return { shape: 'circle', color: MARK_COLORS.taskDone, priority: 2 };
    case 'regulatory.sent':
      return { shape: 'square', color: MARK_COLORS.incident, priority: 9 };
    default:
      return null;
  }
}
