import path from 'node:path';
import type { DocName } from '../../shared/model/parts';
import type { IncidentMeta } from '../../shared/model/incident';
import type { JournalRecord, NewRecord } from '../../server/storage/documentStore';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { tempDir } from './testServer';

/**
 * A real SQLite store whose journal clock the test moves: every record is journaled at its
 * server time plus `shiftMs` (hashes are computed on the shifted time, so chains verify). Lets
 * a test play "three hours ago" and "now" without waiting: keep the shifts increasing, so the
 * journal stays in time order.
 */
export class ShiftedClockStore extends SqliteStore {
  shiftMs = 0;

  override append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    return super.append(doc, records.map((r) => ({ ...r, at: new Date(r.at.getTime() + this.shiftMs) })));
  }

  override createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): Promise<void> {
    return super.createIncident(meta, { ...first, at: new Date(first.at.getTime() + this.shiftMs) });
  }
}

export function shiftedClockStore(): ShiftedClockStore {
  return new ShiftedClockStore(path.join(tempDir('crisis-shifted-'), 'crisis-cell.db'));
}
