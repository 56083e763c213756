import { z } from 'zod';
import { DOC_PARTS, DocPartSchema } from '../model/parts';

/**
 * The journal head an export was made from, short enough to print on every page and retype:
 * the record count of each part (meta-log-tasks-decisions) and the incident head hash (sha256
 * over the four chain heads, see server/evidence/headHash.ts). Example:
 *   3-100001-5012-1203:9f3a0c...(64 hex digits)
 * `crisis-cell verify <incident> --head <ref>` accepts the full hash or its first 16+ digits.
 */
export const HeadSchema = z.object({ part: DocPartSchema, seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type Head = z.infer<typeof HeadSchema>;

export interface ParsedHeadRef {
  seqs: number[];
  hash: string;
}

export function formatHeadRef(seqs: number[], hash: string): string {
  return `${seqs.join('-')}:${hash}`;
}

export function parseHeadRef(ref: string): ParsedHeadRef {
  const m = /^(\d+)-(\d+)-(\d+)-(\d+):([0-9a-f]{16,64})$/.exec(ref.replace(/\s+/g, '').toLowerCase());
  if (!m) throw new Error(`expected a journal head like 3-120-45-7:<hex>, with ${DOC_PARTS.length} record counts (${DOC_PARTS.join('-')}) and at least 16 hex digits`);
  return { seqs: m.slice(1, 5).map(Number), hash: m[5]! };
}
