import type * as Y from 'yjs';
import { DOC_PARTS, addPartName, servedPartNames } from '../../shared/model/parts';
import type { PartModule } from './partModule';
import { metaPart } from './meta';
import { logPart } from './log';
import { tasksPart } from './tasks';
import { decisionsPart } from './decisions';
import { reportsPart } from './reports';
import { regulatoryPart } from './regulatory';

const modules = new Map<string, PartModule>();

/**
 * Serves a document part: from this call on, its documents' names parse (shared/model/parts.ts),
 * the guard holds its updates to its shape, admission to its rules, the journal keeps them and
 * the timeline and exports replay them (after every part registered before it: journal head order).
 * A part of DOC_PARTS is registered below; any other (a test's dummy part) is served from the call.
 */
export function registerPart(part: PartModule): void {
  if (modules.has(part.name)) throw new Error(`part ${part.name} is already registered`);
  if (!(DOC_PARTS as readonly string[]).includes(part.name)) addPartName(part.name);
  modules.set(part.name, part);
}

/** The module of a served part. */
export function partModule(name: string): PartModule {
  const part = modules.get(name);
  if (!part) throw new Error(`part ${name} is not registered (server/parts/registry.ts)`);
  return part;
}

/** Every served part, in journal head order: DOC_PARTS, then the parts registered at run time. */
export function registeredParts(): PartModule[] {
  return servedPartNames().map(partModule);
}

/**
 * The materialiser: declares a part's root types on a fresh document, so the guard knows their
 * kind before any update names them (the room, `?at=`).
 */
export function declareRoots(doc: Y.Doc, part: PartModule): void {
  for (const root of part.roots) {
    if (root.kind === 'map') doc.getMap(root.name);
    else doc.getArray(root.name);
  }
}

// One line per part, in DOC_PARTS order.
registerPart(metaPart);
registerPart(logPart);
registerPart(tasksPart);
registerPart(decisionsPart);
registerPart(reportsPart);
registerPart(regulatoryPart);
for (const name of DOC_PARTS) partModule(name);
