import type { LogEntry } from '../../shared/model/log';
import type { DraftLogEntry } from '../../shared/model/reportDraft';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import type { DocumentStore } from '../storage/documentStore';
import { replayCacheOf } from '../timeline/replayCache';

/**
 * The first entry of an amendment chain (an amendment may amend an amendment): the entry whose
 * wordings these all are. `entries` is the log at the window's end.
 */
function rootOf(id: string, amendsOf: ReadonlyMap<string, string | null>): string {
  let at = id;
  const seen = new Set<string>();
  for (let next = amendsOf.get(at); next && !seen.has(next); next = amendsOf.get(at)) {
    seen.add(at);
    at = next;
  }
  return at;
}

/**
 * One item per entry: of the window's entries and amendments, only the last wording of each
 * chain, at the place of its latest version. An entry written before the window and amended in
 * it is listed once, amended.
 */
export function lastWordings(items: DraftLogEntry[], entries: LogEntry[]): DraftLogEntry[] {
  const amendsOf = new Map<string, string | null>(entries.map((e) => [e.id, e.amends]));
  for (const l of items) if (!amendsOf.has(l.entryId)) amendsOf.set(l.entryId, l.amends);
  const last = new Map<string, DraftLogEntry>();
  for (const l of [...items].sort((a, b) => a.at.localeCompare(b.at))) {
    const root = rootOf(l.entryId, amendsOf);
    last.delete(root);
    last.set(root, l);
  }
  return [...last.values()];
}

/**
 * Entries whose verification was "refuted" at `to`: the last verification record up to then
 * (journal order), or the entry's own field when it has none.
 */
export async function refutedAt(store: DocumentStore, incidentId: string, to: string, entries: LogEntry[]): Promise<Set<string>> {
  const state = new Map<string, string>(entries.map((e) => [e.id, e.verification]));
  const events = await replayCacheOf(store).timeline(incidentId, TimelineFilterSchema.parse({ to, kinds: ['log.verification'] }));
  for await (const batch of events) {
    for (const e of batch) if (e.kind === 'log.verification') state.set(e.data.entryId, e.data.state);
  }
  return new Set([...state].filter(([, s]) => s === 'refuted').map(([id]) => id));
}
