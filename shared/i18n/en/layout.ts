import { formatInt } from '../numbers';

/** Words of the phone, tablet and wall layouts and of the input limits. English, the reference table: the French one must have exactly its keys. */
export const layout = {
  filtersShown: (n: number) => (n > 0 ? `Filters (${n})` : 'Filters'),
  entryOptions: 'Entry options',
  showMore: 'Show more',
  showLess: 'Show less',
  tooLong: (length: number, max: number) => `Too long: ${formatInt(length, 'en')} characters, at most ${formatInt(max, 'en')}. The text stays here: shorten it or split it into several entries.`,
  charCount: (length: number, max: number) => `${formatInt(length, 'en')} / ${formatInt(max, 'en')} characters`,
  postNeedsText: 'Write the entry text',
  postPrefixesOnly: 'Prefixes only: write the entry text',
  postTooLong: 'Text too long: shorten it to post',
  moreItems: (n: number) => `+${formatInt(n, 'en')} more`,
  presenceMore: (n: number) => `+${formatInt(n, 'en')}`,
  morePresent: (n: number) => `${formatInt(n, 'en')} more ${n === 1 ? 'person' : 'people'} here`,
  roomMenu: 'Room actions',
  fieldTooLong: (length: number, max: number) => `Too long: ${formatInt(length, 'en')} characters, at most ${formatInt(max, 'en')}. The text stays here: shorten it.`,
};

export type LayoutWords = typeof layout;
