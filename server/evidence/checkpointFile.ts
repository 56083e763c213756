import { z } from 'zod';
import { DocNameSchema } from '../../shared/model/parts';
import type { StoredCheckpoint } from '../storage/documentStore';
import { checkpointText } from './checkpoints';

/**
 * Checkpoints exported off the machine. Two renderings of the same content: JSON (a file to
 * keep on a USB key, in a mailbox, with the insurer) and text (to print and file on paper).
 * `crisis-cell verify --checkpoint <file>` reads either; whitespace inside the hex and base64
 * of the text form is ignored, so a retyped or scanned copy parses too.
 */
const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64');
const HexHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits');

export const CheckpointFileEntrySchema = z
  .object({
    doc: DocNameSchema,
    seq: z.number().int().min(0),
    head: HexHashSchema,
    signedAt: z.string().datetime(),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKey: Base64Schema,
    signature: Base64Schema,
  })
  .strict();

export const CheckpointFileSchema = z
  .object({
    format: z.literal('crisis-cell-checkpoints'),
    version: z.literal(1),
    exportedAt: z.string().datetime(),
    /** The incident the export was made for; null for every document of the server. */
    incident: z.string().nullable(),
    checkpoints: z.array(CheckpointFileEntrySchema),
  })
  .strict();
export type CheckpointFile = z.infer<typeof CheckpointFileSchema>;

export function checkpointFile(checkpoints: StoredCheckpoint[], incident: string | null, exportedAt: Date): CheckpointFile {
  return {
    format: 'crisis-cell-checkpoints',
    version: 1,
    exportedAt: exportedAt.toISOString(),
    incident,
    // One order whoever exports: by signing time, then document, then seq.
    checkpoints: [...checkpoints]
      .sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || a.doc.localeCompare(b.doc) || a.seq - b.seq)
      .map((c) => ({ ...c, signedAt: c.signedAt.toISOString() })),
  };
}

/** The printable rendering: a header, then per checkpoint the signed text and its signature. */
export function checkpointFileText(file: CheckpointFile): string {
  const keys = new Map(file.checkpoints.map((c) => [c.keyId, c.publicKey]));
  const lines = [
    'CRISIS-CELL — POINTS DE CONTRÔLE SIGNÉS / SIGNED CHECKPOINTS',
    `exported-at: ${file.exportedAt}`,
    `incident: ${file.incident ?? '(all)'}`,
    '',
    'Clés publiques Ed25519 (comparer l’identifiant avec celui noté à la mise en service) / public keys:',
    ...[...keys].map(([id, key]) => `public-key ${id}: ${key}`),
    '',
    'Vérification : crisis-cell verify <incident> --checkpoint <ce fichier>',
    '',
  ];
  for (const c of file.checkpoints) {
    lines.push('-----', checkpointText({ ...c, signedAt: new Date(c.signedAt) }).trimEnd(), `signature: ${group(c.signature, 22)}`, '');
  }
  return lines.join('\n');
}

/** Reads a checkpoint file in either rendering; throws an Error saying what is wrong. */
export function parseCheckpointFile(content: string): CheckpointFile {
  const trimmed = content.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new Error('checkpoint file: not valid JSON');
    }
    const parsed = CheckpointFileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`checkpoint file: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    return parsed.data;
  }
  return parseText(trimmed);
}

function parseText(text: string): CheckpointFile {
  const keys = new Map<string, string>();
  let exportedAt = '';
  let incident: string | null = null;
  const blocks = text.split(/^-----\s*$/m);
  for (const line of blocks[0]!.split('\n')) {
    const key = /^public-key ([0-9a-f]{16}):\s*(.+)$/.exec(line.trim());
    if (key) keys.set(key[1]!, key[2]!.replace(/\s+/g, ''));
    const at = /^exported-at:\s*(\S+)/.exec(line.trim());
    if (at) exportedAt = at[1]!;
    const inc = /^incident:\s*(\S+)/.exec(line.trim());
    if (inc) incident = inc[1] === '(all)' ? null : inc[1]!;
  }
  const checkpoints = blocks.slice(1).map((block, i) => {
    const fields = new Map<string, string>();
    let last = '';
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (!line || line === 'crisis-cell checkpoint v1') continue;
      const m = /^([a-z-]+):\s*(.*)$/.exec(line);
      if (m) {
        last = m[1]!;
        fields.set(last, m[2]!);
      } else if (last) {
        fields.set(last, fields.get(last)! + line); // a value continued on the next line
      }
    }
    const keyId = fields.get('key') ?? '';
    const entry = {
      doc: fields.get('document'),
      seq: Number(fields.get('seq')),
      head: fields.get('head')?.replace(/\s+/g, ''),
      signedAt: fields.get('signed-at'),
      keyId,
      publicKey: keys.get(keyId),
      signature: fields.get('signature')?.replace(/\s+/g, ''),
    };
    const parsed = CheckpointFileEntrySchema.safeParse(entry);
    if (!parsed.success) throw new Error(`checkpoint file: checkpoint ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
    return parsed.data;
  });
  return CheckpointFileSchema.parse({ format: 'crisis-cell-checkpoints', version: 1, exportedAt: exportedAt || new Date(0).toISOString(), incident, checkpoints });
}

export function toStoredCheckpoint(entry: CheckpointFile['checkpoints'][number]): StoredCheckpoint {
  return { ...entry, signedAt: new Date(entry.signedAt) };
}

function group(s: string, size: number): string {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += size) parts.push(s.slice(i, i + size));
  return parts.join(' ');
}
