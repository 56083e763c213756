import type { TimelineEvent } from './events';
import { ID_PATTERN } from '../model/ids';

/** Characters of a user id printed beside a name: enough to tell two accounts apart at a glance. */
export const SHORT_ID_LENGTH = 8;

/**
 * How an export prints who did something: the name (resolved from the journal's user id when
 * the export is made, so it is the person's current name) followed by the start of that id, so
 * two people can never be confused, not even across a rename. An author that is not a user id
 * (journals from before accounts, the server's own records, anonymised pseudonyms) is printed
 * as it is.
 */
export function authorLabel(e: Pick<TimelineEvent, 'author' | 'authorId'>): string {
  if (e.author === e.authorId || !ID_PATTERN.test(e.authorId)) return e.author;
  return `${e.author} (${e.authorId.slice(0, SHORT_ID_LENGTH)})`;
}
