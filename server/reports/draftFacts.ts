import type { LogEntry } from '../../shared/model/log';
import type { DraftLogEntry } from '../../shared/model/reportDraft';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import type { DocumentStore } from '../storage/documentStore';
import { replayCacheOf } from '../timeline/replayCache';

/** What an entry amends, or null; undefined for an entry unknown. */
type AmendsOf = (id: string) => string | null | undefined;

/**
 * The first entry of an amendment chain (an amendment may amend an amendment): the entry whose
 * wordings these all are.
 */
function rootOf(id: string, amendsOf: AmendsOf): string {
  let at = id;
  const seen = new Set<string>();
  for (let next = amendsOf(at); next && !seen.has(next); next = amendsOf(at)) {
    seen.add(at);
    at = next;
  }
  return at;
}

/**
 * One item per entry: of the window's entries and amendments, only the last wording of each
 * chain, at the place of its latest version. An entry written before the window and amended in
 * it is listed once, amended. `logAmendsOf` reads the log at the window's end.
 */
export function lastWordings(items: DraftLogEntry[], logAmendsOf: AmendsOf): DraftLogEntry[] {
  const listed = new Map<string, string | null>(items.map((l) => [l.entryId, l.amends]));
  const amendsOf: AmendsOf = (id) => {
    const known = logAmendsOf(id);
    return known === undefined ? listed.get(id) : known;
  };
  const last = new Map<string, DraftLogEntry>();
  for (const l of [...items].sort((a, b) => a.at.localeCompare(b.at))) {
    const root = rootOf(l.entryId, amendsOf);
    last.delete(root);
    last.set(root, l);
  }
  return [...last.values()];
}

/**
 * Of the entries `ids`, those whose verification was "refuted" at `to`: the last verification
 * record up to then (journal order), or the entry's own field when it has none. `entry` reads
 * the log at `to`.
 */
export async function refutedAt(store: DocumentStore, incidentId: string, to: string, ids: string[], entry: (id: string) => LogEntry | undefined): Promise<Set<string>> {
  const state = new Map<string, string | undefined>(ids.map((id) => [id, entry(id)?.verification]));
  const events = await replayCacheOf(store).timeline(incidentId, TimelineFilterSchema.parse({ to, kinds: ['log.verification'] }));
  for await (const batch of events) {
    for (const e of batch) if (e.kind === 'log.verification' && state.has(e.data.entryId)) state.set(e.data.entryId, e.data.state);
  }
  return new Set([...state].filter(([, s]) => s === 'refuted').map(([id]) => id));
}
