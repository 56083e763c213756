import { createHash } from 'node:crypto';
import { DOC_PARTS, type DocPart, parseDocName } from '../../shared/model/parts';
import { formatHeadRef } from '../../shared/timeline/headRef';
import type { JournalHead } from '../storage/documentStore';

/**
 * One hash for the chains of an incident at given heads:
 *   sha256(<label> + for each part in DOC_PARTS order: "<part> <seq> <head hash hex>\n")
 * with label "crisis-cell/incident-head/v2\n" over every part, or "crisis-cell/incident-head/v1\n"
 * over meta, log, tasks, decisions, as printed before the reports and regulatory parts existed.
 */
export function incidentHeadHash(heads: JournalHead[], parts: readonly DocPart[] = DOC_PARTS): string {
  const byPart = new Map(heads.map((h) => [parseDocName(h.doc).part, h]));
  const version = parts.length === DOC_PARTS.length ? 'v2' : 'v1';
  const h = createHash('sha256').update(`crisis-cell/incident-head/${version}\n`);
  for (const part of parts) {
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
