/** How much of an entry's text names it in a chip or an "answers" line. */
const QUOTE_CHARS = 80;

/** The start of an entry's text on one line, cut with an ellipsis: how a reply, a chip or a task card names it. */
export function textStart(text: string, max = QUOTE_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
