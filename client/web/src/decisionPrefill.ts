/**
 * A decision form prefilled from a `#decision` log entry: the log view leaves it here when the
 * user accepts to record the entry in the decisions register, and the decisions view's form
 * takes it once on opening. Per incident, in memory only (a reload forgets the offer, not the
 * entry, which is in the log).
 */
export interface DecisionPrefill {
  title: string;
  statement: string;
  /** The log entry the decision comes from (the decision's `basedOn`). */
  entryId: string;
}

const pending = new Map<string, DecisionPrefill>();

/** The decision's title: the entry's first line, cut to the title's 300 characters at a word if it can be. */
export function prefillFromEntry(text: string, entryId: string): DecisionPrefill {
  const first = text.split('\n')[0]!.trim();
  let title = first;
  if (title.length > 300) {
    const cut = title.slice(0, 299);
    const space = cut.lastIndexOf(' ');
    title = `${space > 200 ? cut.slice(0, space) : cut}…`;
  }
  return { title, statement: text, entryId };
}

export function leaveDecisionPrefill(incidentId: string, prefill: DecisionPrefill): void {
  pending.set(incidentId, prefill);
}

export function takeDecisionPrefill(incidentId: string): DecisionPrefill | null {
  const p = pending.get(incidentId) ?? null;
  pending.delete(incidentId);
  return p;
}
