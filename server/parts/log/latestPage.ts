import type { LogEntry } from '../../../shared/model/log';
import type { LogLatest } from '../../../shared/protocol/logPage';
import type { LogIndex } from './logIndex';

/**
 * The newest `limit` entries of a log with what their rows show: the entry each corrects or
 * answers and its corrections (in `related` when not listed), and each listed entry's current
 * verification and its history. Costs the page, not the log: the index keeps the newest.
 */
export function latestPage(incidentId: string, index: LogIndex, limit: number): LogLatest {
  const entries = index.newest(limit);
  const listed = new Set(entries.map((e) => e.id));
  const related = new Map<string, LogEntry>();
  const relate = (e: LogEntry | undefined) => {
    if (e && !listed.has(e.id)) related.set(e.id, e);
  };
  const verifications: LogLatest['verifications'] = {};
  for (const e of entries) {
    if (e.amends) relate(index.get(e.amends));
    if (e.replyTo) relate(index.get(e.replyTo));
    for (const c of index.amendmentsOf(e.id)) relate(c);
    verifications[e.id] = { state: index.log.currentVerification(e), history: index.log.verificationHistory(e.id) };
  }
  return { incidentId, total: index.size, entries, related: [...related.values()], verifications };
}
