import type { TimelineEvent } from '../../shared/timeline/events';

interface Cursor {
  it: AsyncIterator<TimelineEvent[]>;
  buf: TimelineEvent[];
  i: number;
  done: boolean;
}

/**
 * Merges streams that are each in server-time order into one, in batches. Ties go to the
 * earlier stream (meta, log, tasks, decisions, then other sources), so a record's events keep
 * their order and the output is deterministic. `at` strings compare as text: all are
 * toISOString() output of the same length.
 */
export async function* mergeByTime(streams: Array<AsyncIterable<TimelineEvent[]>>, batchSize = 1_000): AsyncGenerator<TimelineEvent[]> {
  const cursors: Cursor[] = streams.map((s) => ({ it: s[Symbol.asyncIterator](), buf: [], i: 0, done: false }));
  const fill = async (c: Cursor): Promise<void> => {
    while (!c.done && c.i >= c.buf.length) {
      const next = await c.it.next();
      if (next.done) c.done = true;
      else {
        c.buf = next.value;
        c.i = 0;
      }
    }
  };
  try {
    await Promise.all(cursors.map(fill));
    let out: TimelineEvent[] = [];
    for (;;) {
      let best: Cursor | null = null;
      for (const c of cursors) {
        if (c.done) continue;
        if (!best || c.buf[c.i]!.at < best.buf[best.i]!.at) best = c;
      }
      if (!best) break;
      out.push(best.buf[best.i++]!);
      if (best.i >= best.buf.length) await fill(best);
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    // A consumer that stops early (client gone) ends the replays too.
    await Promise.all(cursors.filter((c) => !c.done).map((c) => c.it.return?.()));
  }
}
