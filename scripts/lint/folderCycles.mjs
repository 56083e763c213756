#!/usr/bin/env node
/**
 * No import cycle between the folders of server/: each top-level folder (server/auth,
 * server/policy…) is one node, and an import from a file of one folder to a file of another is an
 * edge (type-only imports count: they couple the folders all the same). dependency-cruiser's own
 * `no-circular` works file by file, so a cycle auth → policy → auth made of different files would
 * pass it; this check runs on its cruise result instead. Part of `npm run depcruise`.
 *
 *   node scripts/lint/folderCycles.mjs [--base DIR]
 *
 * --base: the folder holding server/ (default: the repository root); test/guardrails uses it on
 * a fixture. Exits 1 and prints each cycle with the imports that make its edges.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Folder edges allowed to close a cycle: none. (Kept as a parameter so the guardrail fixtures can
 * show that a listed edge is not counted.)
 */
export const KNOWN_CYCLE_EDGES = new Set([]);

function topFolder(file) {
  const m = /^server\/([^/]+)\//.exec(file);
  return m ? m[1] : null;
}

/** Folder graph: `from -> to` → the file imports that make the edge. */
export function folderEdges(modules) {
  const edges = new Map();
  for (const mod of modules) {
    const from = topFolder(mod.source);
    if (!from) continue;
    for (const dep of mod.dependencies) {
      const to = topFolder(dep.resolved);
      if (!to || to === from) continue;
      const key = `${from} -> ${to}`;
      if (!edges.has(key)) edges.set(key, []);
      edges.get(key).push(`${mod.source} → ${dep.resolved}`);
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder (Tarjan). */
export function folderCycles(edgeKeys) {
  const next = new Map();
  for (const key of edgeKeys) {
    const [from, to] = key.split(' -> ');
    if (!next.has(from)) next.set(from, []);
    next.get(from).push(to);
  }
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return components;
}

/** Cruises `<base>/server` and returns the cycles not explained by `known` edges. */
export async function findFolderCycles(base = ROOT, known = KNOWN_CYCLE_EDGES) {
  const previous = process.cwd();
  process.chdir(base);
  try {
    const result = await cruise(['server'], {
      doNotFollow: { path: 'node_modules' },
      exclude: { path: 'node_modules' },
      tsPreCompilationDeps: true,
    });
    const edges = folderEdges(result.output.modules);
    const counted = [...edges.keys()].filter((key) => !known.has(key));
    return folderCycles(counted).map((folders) => ({
      folders,
      edges: counted
        .filter((key) => key.split(' -> ').every((f) => folders.includes(f)))
        .map((key) => ({ edge: key, imports: edges.get(key) })),
    }));
  } finally {
    process.chdir(previous);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--base');
  const base = at >= 0 ? path.resolve(args[at + 1]) : ROOT;
  const cycles = await findFolderCycles(base);
  for (const cycle of cycles) {
    console.error(`error no-server-folder-cycle: ${cycle.folders.map((f) => `server/${f}`).join(' ⇄ ')}`);
    for (const { edge, imports } of cycle.edges) {
      console.error(`  ${edge}`);
      for (const line of imports.slice(0, 3)) console.error(`      ${line}`);
      if (imports.length > 3) console.error(`      … and ${imports.length - 3} more`);
    }
  }
  if (cycles.length > 0) process.exit(1);
  console.log('no folder cycle in server/');
}
