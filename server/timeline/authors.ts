import type { TimelineEvent } from '../../shared/timeline/events';
import type { EventFilter } from '../../shared/timeline/filter';

/** How a person is named in a timeline. */
export interface AuthorName {
  name: string;
  email?: string;
}

/**
 * Names of the people behind ids (journal authors, audit actors): the accounts work answers
 * from its account store. Ids it does not know (journals from before accounts, the server's own
 * records) are left out of the map and printed as they are.
 */
export type DescribeAuthors = (ids: string[]) => Promise<Map<string, AuthorName>>;

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
