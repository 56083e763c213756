import { z } from 'zod';
import { DOC_PARTS, DocPartSchema, type DocPart } from '../model/parts';

/**
 * The journal head an export was made from, short enough to print on every page and retype:
 * the record count of each part, in DOC_PARTS order, and the incident head hash (sha256 over
 * the parts' chain heads, see server/evidence/headHash.ts). Example:
 *   3-100001-5012-1203-4-2:9f3a0c...(64 hex digits)
 * Exports made before the reports and regulatory parts existed print four counts
 * (meta-log-tasks-decisions); they still verify, over those four parts.
 * `crisis-cell verify <incident> --head <ref>` accepts the full hash or its first 16+ digits.
 */
export const HeadSchema = z.object({ part: DocPartSchema, seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type Head = z.infer<typeof HeadSchema>;

/** The parts a head reference of each length covers: the original four, then every part. */
export const HEAD_REF_PARTS: Record<number, readonly DocPart[]> = {
  4: DOC_PARTS.slice(0, 4),
  [DOC_PARTS.length]: DOC_PARTS,
};

export interface ParsedHeadRef {
  /** The parts the reference names, in order; `seqs[i]` is the record count of `parts[i]`. */
  parts: readonly DocPart[];
  seqs: number[];
  hash: string;
}

export function formatHeadRef(seqs: number[], hash: string): string {
  return `${seqs.join('-')}:${hash}`;
}

export function parseHeadRef(ref: string): ParsedHeadRef {
  const m = /^(\d+(?:-\d+)*):([0-9a-f]{16,64})$/.exec(ref.replace(/\s+/g, '').toLowerCase());
  const seqs = m ? m[1]!.split('-').map(Number) : [];
  const parts = HEAD_REF_PARTS[seqs.length];
  if (!m || !parts) throw new Error(`expected a journal head like 3-120-45-7-2-1:<hex>, with ${DOC_PARTS.length} record counts (${DOC_PARTS.join('-')}) and at least 16 hex digits`);
  return { parts, seqs, hash: m[2]! };
}
