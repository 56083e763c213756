import { LogLatestSchema, type LogLatest } from '../../../../../shared/protocol/logPage';
import type { LogEntry } from '../../../../../shared/model/log';
import { request } from '../../http';

/** Rows in the first screen: more than a wall display shows, few enough to come at once. */
const PREVIEW_ROWS = 60;

/**
 * The newest entries over REST, kept by the room while the log's document opens and syncs (a
 * 100,000-entry log is tens of megabytes to download, inflate and apply): the log view draws
 * them until its live index has entries. A view, never written from.
 */
export interface LogPreviewKeep {
  current: LogLatest | null;
}

export function fetchLatestEntries(incidentId: string): Promise<LogLatest> {
  return request(`/api/incidents/${encodeURIComponent(incidentId)}/log/latest?limit=${PREVIEW_ROWS}`, LogLatestSchema);
}

/** What the preview's rows show: entries by id (listed and related) and each entry's corrections, oldest first. */
export function previewLinks(page: LogLatest): { byId: Map<string, LogEntry>; amendments: Map<string, LogEntry[]> } {
  const all = [...page.related, ...page.entries];
  const byId = new Map(all.map((e) => [e.id, e]));
  const amendments = new Map<string, LogEntry[]>();
  for (const e of all) {
    if (!e.amends) continue;
    const list = amendments.get(e.amends) ?? [];
    list.push(e);
    amendments.set(e.amends, list);
  }
  for (const list of amendments.values()) list.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
  return { byId, amendments };
}
