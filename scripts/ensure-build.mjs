#!/usr/bin/env node
/**
 * The first step of `npm start`: reuses the build in dist/ when no source changed since it was
 * made, and otherwise builds (the server with tsc, then the web client with esbuild), saying
 * which step runs and for how long, instead of rebuilding everything on every start.
 *
 * "No source changed" is a fingerprint of the sources (the newest modification time and the
 * number of files under server/, shared/ and client/, plus the build's own configuration),
 * taken before the build starts and kept in dist/.build-stamp.json once the build has
 * succeeded: a file edited during a build, added or deleted changes it; a build that failed
 * half-way leaves no stamp and is redone.
 *
 *   node scripts/ensure-build.mjs [--force] [--check]
 *
 * --force builds even when up to date; --check builds nothing and exits 0 when up to date, 1
 * when a build is needed (saying why).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['server', 'shared', 'client'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-web.mjs', 'scripts/ensure-build.mjs'];
/** What the start command runs: both must exist for the build to be reused. */
const OUTPUTS = ['dist/server/main.js', 'dist/web/index.html'];
const STAMP = 'dist/.build-stamp.json';

/** The sources' fingerprint: newest modification time, number of files, and the newest file (to say why). */
export function fingerprint(root = ROOT) {
  let newestMs = 0;
  let newest = '';
  let files = 0;
  const visit = (rel) => {
    let stat;
    try {
      stat = fs.statSync(path.join(root, rel));
    } catch {
      return; // an optional file (no lock file, say)
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(path.join(root, rel))) if (name !== 'node_modules' && name !== 'dist' && !name.startsWith('.')) visit(path.join(rel, name));
      return;
    }
    files += 1;
    if (stat.mtimeMs > newestMs) {
      newestMs = stat.mtimeMs;
      newest = rel;
    }
  };
  for (const rel of [...SOURCE_DIRS, ...SOURCE_FILES]) visit(rel);
  return { newestMs, files, newest };
}

/** Null when dist/ holds a build of exactly these sources, else why not. */
export function staleReason(root = ROOT) {
  for (const out of OUTPUTS) if (!fs.existsSync(path.join(root, out))) return `no build yet (${out} is missing)`;
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8'));
  } catch {
    return 'the last build left no stamp (it failed, or was made by another command)';
  }
  const now = fingerprint(root);
  if (stamp.files !== now.files) return `files were added or removed (${stamp.files} → ${now.files})`;
  if (stamp.newestMs !== now.newestMs) return `${now.newest} changed since the last build`;
  return null;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs one build step, saying it starts, how long it has run (a live counter on a terminal), and how long it took. */
async function step(index, count, label, run, out) {
  const started = Date.now();
  const head = `[${index}/${count}] ${label}`;
  const tty = out.isTTY === true;
  out.write(tty ? `${head}…` : `${head}…\n`);
  const ticker = tty ? setInterval(() => out.write(`\r${head}… ${Math.round((Date.now() - started) / 1000)} s`), 1000) : null;
  try {
    await run();
  } finally {
    if (ticker) clearInterval(ticker);
  }
  out.write(`${tty ? '\r' : ''}${head}: done in ${seconds(Date.now() - started)}\n`);
}

function runNode(args, root) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** Builds when needed; resolves to true when it built, false when the build was reused. */
export async function ensureBuild({ root = ROOT, force = false, out = process.stdout } = {}) {
  const reason = force ? 'forced (--force)' : staleReason(root);
  if (reason === null) {
    out.write('build: up to date, reused (dist/)\n');
    return false;
  }
  const before = fingerprint(root);
  const started = Date.now();
  out.write(`build: ${reason}: building (2 steps)\n`);
  fs.rmSync(path.join(root, STAMP), { force: true });
  await step(1, 2, 'server (tsc)', () => runNode([path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], root), out);
  await step(2, 2, 'web client (esbuild)', () => runNode([path.join(root, 'scripts', 'build-web.mjs'), '--quiet'], root), out);
  fs.writeFileSync(path.join(root, STAMP), `${JSON.stringify({ newestMs: before.newestMs, files: before.files, builtAt: new Date().toISOString() })}\n`);
  out.write(`build: ready in ${seconds(Date.now() - started)}\n`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const reason = staleReason();
    console.log(reason === null ? 'build: up to date' : `build: needed: ${reason}`);
    process.exit(reason === null ? 0 : 1);
  }
  ensureBuild({ force: args.includes('--force') }).catch((err) => {
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
