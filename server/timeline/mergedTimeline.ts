import type { TimelineEvent } from '../../shared/timeline/events';
import { LANES, laneOf, markShape } from '../../shared/timeline/picture/collector';

/**
 * Every event of an incident's replayed parts in one array in server-time order (ties: the
 * earlier part, as mergeByTime orders them), with each event's time, lane and, for the
 * highlighted ones (markShape), their index: what a window of the timeline is cut from by
 * binary search. Kept up to date from the replay cache's parts: new events are appended when
 * they come after the last one (the usual case), else everything is merged again.
 */
export class MergedTimeline {
  readonly events: TimelineEvent[] = [];
  readonly times: number[] = [];
  readonly lanes: number[] = [];
  /** Indexes of highlighted events, ascending. */
  readonly highlighted: number[] = [];
  readonly priorities: number[] = [];
  /** Per part (by position), the events taken in so far, and the part's array they came from. */
  private taken: Array<{ from: TimelineEvent[]; count: number }> = [];

  /** Brings the merge up to the parts' events (each part's array only grows, or is replaced by a fresh replay). */
  update(parts: ReadonlyArray<readonly TimelineEvent[]>): void {
    const sameParts = this.taken.length === parts.length && parts.every((p, i) => this.taken[i]!.from === p && p.length >= this.taken[i]!.count);
    if (!sameParts) {
      this.reset(parts);
      return;
    }
    const fresh: Array<{ e: TimelineEvent; part: number }> = [];
    parts.forEach((p, i) => {
      for (let k = this.taken[i]!.count; k < p.length; k++) fresh.push({ e: p[k]!, part: i });
    });
    if (fresh.length === 0) return;
    fresh.sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.part - b.part));
    const last = this.events[this.events.length - 1];
    if (last && fresh[0]!.e.at < last.at) {
      this.reset(parts);
      return;
    }
    for (const { e } of fresh) this.push(e);
    this.taken = parts.map((p) => ({ from: p as TimelineEvent[], count: p.length }));
  }

  private reset(parts: ReadonlyArray<readonly TimelineEvent[]>): void {
    this.events.length = 0;
    this.times.length = 0;
    this.lanes.length = 0;
    this.highlighted.length = 0;
    this.priorities.length = 0;
    const all: Array<{ e: TimelineEvent; part: number }> = [];
    parts.forEach((p, i) => {
      for (const e of p) all.push({ e, part: i });
    });
    // Stable on the parts' order for equal times, as mergeByTime.
    all.sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.part - b.part));
    for (const { e } of all) this.push(e);
    this.taken = parts.map((p) => ({ from: p as TimelineEvent[], count: p.length }));
  }

  private push(e: TimelineEvent): void {
    const i = this.events.length;
    this.events.push(e);
    this.times.push(Date.parse(e.at));
    this.lanes.push(LANES.indexOf(laneOf(e)));
    const shape = markShape(e);
    if (shape) {
      this.highlighted.push(i);
      this.priorities.push(shape.priority);
    }
  }
}

/** First index whose value is >= `v` in an ascending array. */
export function lowerBound(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
