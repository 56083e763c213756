import { AppError } from '../errors';

const DAY = 24 * 60 * 60_000;

/**
 * At most `perDay` acts per key in any 24 hours (issue 13, item 5: incidents created per user),
 * kept in memory on this node: the times of the last `perDay` acts of each key that acted in the
 * last day. Refused with QUOTA_EXCEEDED; nothing is done.
 */
export class DailyQuota {
  private readonly acts = new Map<string, number[]>();

  constructor(
    private readonly perDay: number,
    private readonly what: string,
  ) {}

  /** Spends one act of `key`, or throws QUOTA_EXCEEDED (spending nothing). */
  take(key: string, now = Date.now()): void {
    const recent = (this.acts.get(key) ?? []).filter((t) => now - t < DAY);
    if (recent.length >= this.perDay) {
      this.acts.set(key, recent);
      const freeAt = new Date(recent[0]! + DAY).toISOString();
      throw new AppError('QUOTA_EXCEEDED', `at most ${this.perDay} ${this.what} a day per user (the next one at ${freeAt})`);
    }
    recent.push(now);
    this.acts.set(key, recent);
    // Keys that acted more than a day ago go: the map holds only the last day's actors.
    if (this.acts.size > 1_000) for (const [k, times] of this.acts) if (times.every((t) => now - t >= DAY)) this.acts.delete(k);
  }
}
