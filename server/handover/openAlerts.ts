import type { LogDoc } from '../../shared/docs/logDoc';
import type { LogEntry, Verification } from '../../shared/model/log';

export interface OpenAlert {
  entry: LogEntry;
  verification: Verification;
}

/**
 * The alerts still open: an alert is a chain (an entry and the amendments that correct it, or
 * correct those); its effective version is the latest one written. The chain is open when its
 * effective version is in the `alert` category and neither that version nor the original is
 * currently refuted. So an alert is closed by refuting it, or by amending it with a version of
 * another category ("alert lifted", posted as information). Oldest first.
 */
export function openAlerts(log: LogDoc): OpenAlert[] {
  const entries = log.entries();
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (e: LogEntry): LogEntry => {
    let current = e;
    const seen = new Set<string>();
    while (current.amends && !seen.has(current.id)) {
      seen.add(current.id);
      const up = byId.get(current.amends);
      if (!up) break;
      current = up;
    }
    return current;
  };
  const latest = new Map<string, LogEntry>();
  for (const e of entries) {
    const root = rootOf(e);
    const known = latest.get(root.id);
    if (!known || e.recordedAt >= known.recordedAt) latest.set(root.id, e);
  }
  const out: OpenAlert[] = [];
  for (const [rootId, effective] of latest) {
    if (effective.category !== 'alert') continue;
    const verification = log.currentVerification(effective);
    const root = byId.get(rootId)!;
    if (verification === 'refuted' || log.currentVerification(root) === 'refuted') continue;
    out.push({ entry: effective, verification });
  }
  return out.sort((a, b) => (a.entry.recordedAt < b.entry.recordedAt ? -1 : a.entry.recordedAt > b.entry.recordedAt ? 1 : 0));
}
