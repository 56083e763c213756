import type { TimelineEvent } from '../../shared/timeline/events';
import type { EventFilter } from '../../shared/timeline/filter';
import type { DescribeAuthors } from '../export/authorNames';

export type { AuthorName, DescribeAuthors } from '../export/authorNames';

/**
 * Names each event's author (the journal keeps the stable id, which stays in `authorId`) and
 * then applies the `authors` filter, which may name people either way. Each id is asked for
 * once per run: a timeline has a few dozen authors and thousands of events.
 */
export async function* withAuthorNames(events: AsyncIterable<TimelineEvent[]>, filter: EventFilter, describe: DescribeAuthors | undefined): AsyncGenerator<TimelineEvent[]> {
  const names = new Map<string, string>();
  for await (const batch of events) {
    if (describe) {
      const unknown = [...new Set(batch.map((e) => e.authorId))].filter((id) => !names.has(id));
      if (unknown.length > 0) {
        const found = await describe(unknown);
        for (const id of unknown) names.set(id, found.get(id)?.name || id);
      }
    }
    const out: TimelineEvent[] = [];
    for (const e of batch) {
      const named = describe ? { ...e, author: names.get(e.authorId)! } : e;
      if (filter.acceptsAuthor(named)) out.push(named);
    }
    if (out.length > 0) yield out;
  }
}
