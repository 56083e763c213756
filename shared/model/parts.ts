import { z } from 'zod';
import { ID_PATTERN } from './ids';
import { VERIFICATIONS_ROOT } from './verification';
import { quickSafeParse } from './quickParse';

/**
 * An incident is several Yjs documents, one per part, so that loading and permissions can
 * differ per part (the log grows to 100,000 entries; the board and decisions stay small).
 * `reports` holds the situation reports (drafted together, sealed once published);
 * `regulatory` the notifications owed to authorities and their drafts.
 * New parts go at the end: journal head references list record counts in this order.
 * What the server does with each part (shape, sealing, author fields, replay) is its module in
 * server/parts/, registered in server/parts/registry.ts.
 */
export const DOC_PARTS = ['meta', 'log', 'tasks', 'decisions', 'reports', 'regulatory'] as const;
export const DocPartSchema = z.enum(DOC_PARTS);
/** The parts the application knows. A part registered at run time (`addPartName`) is served, not typed. */
export type DocPart = z.infer<typeof DocPartSchema>;

export type DocName = `${string}:${DocPart}`;

export function docName(incidentId: string, part: DocPart): DocName {
  return `${incidentId}:${part}`;
}

/** A part's name: lower camel case, short enough for a document name. */
const PART_NAME = /^[a-z][a-zA-Z0-9]{0,23}$/;
/** Every part this process serves: DOC_PARTS, then parts registered at run time, in that order. */
const servedParts: string[] = [...DOC_PARTS];

/** The parts served, in journal head order (DOC_PARTS first). */
export function servedPartNames(): readonly string[] {
  return servedParts;
}

/**
 * Serves one more part (server/parts/registry.ts `registerPart`: a test's dummy part, a part
 * not yet in DOC_PARTS). Its documents' names parse from then on; it comes after every part
 * already served.
 */
export function addPartName(name: string): void {
  if (!PART_NAME.test(name)) throw new Error(`a part name is lower camel case, at most 24 characters: ${JSON.stringify(name)}`);
  if (servedParts.includes(name)) throw new Error(`part ${name} is already served`);
  servedParts.push(name);
}

const DOC_NAME_PATTERN = new RegExp(`^(${ID_PATTERN.source.slice(1, -1)}):([a-zA-Z0-9]+)$`);

function isDocName(s: string): boolean {
  const m = DOC_NAME_PATTERN.exec(s);
  return m !== null && servedParts.includes(m[2]!);
}

const ServedPartSchema = z.string().refine((p) => servedParts.includes(p), () => ({ message: `expected one of ${servedParts.join(', ')}` }));

export const DocNameSchema = z
  .string()
  .max(64)
  .refine(isDocName, () => ({ message: `expected "<incident id>:<${servedParts.join('|')}>"` }))
  .transform((s) => s as DocName);

/**
 * The incident and the part of a document name. A part registered at run time comes back as
 * its name: code that branches on the known parts never matches it, and code that indexes a
 * table of the known parts never receives it (those iterate DOC_PARTS).
 */
export function parseDocName(name: DocName): { incidentId: string; part: DocPart } {
  const at = name.lastIndexOf(':');
  // A ZodError, as before parts could be added: the edges answer it as BAD_MESSAGE.
  const parsed = quickSafeParse(ServedPartSchema, name.slice(at + 1));
  if (!parsed.success) throw parsed.error;
  const part = parsed.data;
  return { incidentId: name.slice(0, at), part: part as DocPart };
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

/** A root type of a part's document, with its kind: declared before any update names it. */
export interface PartRoot {
  name: string;
  kind: 'map' | 'array';
}

/** Every root type of each part: the log holds its entries and its verification records; the others one map of records. */
export const PART_ROOTS = {
  meta: [{ name: ROOTS.meta, kind: 'map' }],
  log: [
    { name: ROOTS.log, kind: 'array' },
    { name: VERIFICATIONS_ROOT, kind: 'array' },
  ],
  tasks: [{ name: ROOTS.tasks, kind: 'map' }],
  decisions: [{ name: ROOTS.decisions, kind: 'map' }],
  reports: [{ name: ROOTS.reports, kind: 'map' }],
  regulatory: [{ name: ROOTS.regulatory, kind: 'map' }],
} as const satisfies Record<DocPart, readonly PartRoot[]>;
