/**
 * The history note a supersession leaves on the decision it replaces. Written with the new
 * decision's title (what a reader recognises); histories written before named its raw id, which
 * `readableNote` turns back into the title wherever a history is shown.
 */
export function supersededNote(title: string): string {
  return `superseded by "${title}"`;
}

const LEGACY = /^superseded by ([0-9a-z]{8,40})$/;

/** A history note as a person should read it: a legacy "superseded by <id>" names the decision by title. */
export function readableNote(note: string | null, titleOf: (id: string) => string | undefined): string | null {
  if (note === null) return null;
  const legacy = LEGACY.exec(note);
  if (!legacy) return note;
  const title = titleOf(legacy[1]!);
  return title === undefined ? note : supersededNote(title);
}
