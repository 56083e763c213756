import { createHash } from 'node:crypto';
import { DOC_PARTS, parseDocName } from '../../shared/model/parts';
import { formatHeadRef } from '../../shared/timeline/headRef';
import type { JournalHead } from '../storage/documentStore';

/**
 * One hash for the four chains of an incident at given heads:
 *   sha256("crisis-cell/incident-head/v1\n" + for each part in meta, log, tasks, decisions order:
 *          "<part> <seq> <head hash hex>\n")
 */
export function incidentHeadHash(heads: JournalHead[]): string {
  const byPart = new Map(heads.map((h) => [parseDocName(h.doc).part, h]));
  const h = createHash('sha256').update('crisis-cell/incident-head/v1\n');
  for (const part of DOC_PARTS) {
    const head = byPart.get(part);
    if (!head) throw new Error(`no head for part ${part}`);
    h.update(`${part} ${head.seq} ${head.hash}\n`);
  }
  return h.digest('hex');
}

export function incidentHeadRef(heads: JournalHead[]): string {
  const byPart = new Map(heads.map((h) => [parseDocName(h.doc).part, h.seq]));
  return formatHeadRef(DOC_PARTS.map((p) => byPart.get(p) ?? 0), incidentHeadHash(heads));
}
