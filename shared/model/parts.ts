import { z } from 'zod';
import { ID_PATTERN } from './ids';

/**
 * An incident is several Yjs documents, one per part, so that loading and permissions can
 * differ per part (the log grows to 100,000 entries; the board and decisions stay small).
 * `reports` holds the situation reports (drafted together, sealed once published);
 * `regulatory` the notifications owed to authorities and their drafts.
 * New parts go at the end: journal head references list record counts in this order.
 */
export const DOC_PARTS = ['meta', 'log', 'tasks', 'decisions', 'reports', 'regulatory'] as const;
export const DocPartSchema = z.enum(DOC_PARTS);
export type DocPart = z.infer<typeof DocPartSchema>;

export type DocName = `${string}:${DocPart}`;

export function docName(incidentId: string, part: DocPart): DocName {
  return `${incidentId}:${part}`;
}

const DOC_NAME_PATTERN = new RegExp(`^(${ID_PATTERN.source.slice(1, -1)}):(${DOC_PARTS.join('|')})$`);

export const DocNameSchema = z
  .string()
  .max(64)
  .regex(DOC_NAME_PATTERN, `expected "<incident id>:<${DOC_PARTS.join('|')}>"`)
  .transform((s) => s as DocName);

export function parseDocName(name: DocName): { incidentId: string; part: DocPart } {
  const at = name.lastIndexOf(':');
  return { incidentId: name.slice(0, at), part: DocPartSchema.parse(name.slice(at + 1)) };
}

/** Names of the root Yjs types in each part: the only roots the server lets an update touch. */
export const ROOTS = {
  meta: 'meta',
  log: 'entries',
  tasks: 'tasks',
  decisions: 'decisions',
  reports: 'reports',
  regulatory: 'regulatory',
} as const satisfies Record<DocPart, string>;
