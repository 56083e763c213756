import type * as Y from 'yjs';

/**
 * Makes `text` read `value` with the smallest edit: the common start and end are kept, only
 * the middle is deleted and inserted. A textarea bound to a Y.Text this way keeps the edits
 * others make elsewhere in the text at the same time.
 */
export function applyTextDiff(text: Y.Text, value: string): void {
  const current = text.toString();
  if (current === value) return;
  let start = 0;
  const max = Math.min(current.length, value.length);
  while (start < max && current.charCodeAt(start) === value.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && current.charCodeAt(current.length - 1 - end) === value.charCodeAt(value.length - 1 - end)) end++;
  const apply = () => {
    const removed = current.length - start - end;
    if (removed > 0) text.delete(start, removed);
    const inserted = value.slice(start, value.length - end);
    if (inserted.length > 0) text.insert(start, inserted);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}
