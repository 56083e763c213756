#!/usr/bin/env node
/**
 * Builds the browser client into dist/web/: one JS bundle, one CSS file, index.html and a
 * service worker that keeps the app shell for offline reloads. Content-hashed names, no
 * inline script or style (a Content-Security-Policy without 'unsafe-inline' holds), nothing
 * fetched from outside. Prints the gzipped size.
 *
 *   node scripts/build-web.mjs [--out dist/web] [--no-minify] [--quiet]
 *
 * Also importable: `import { buildWeb } from './scripts/build-web.mjs'`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'client', 'web');
/** The budget from the issue: the whole client, gzipped. */
export const BUDGET_GZIP_BYTES = 200 * 1024;

/** The bundle may import the SDK and the shared model, never server code. */
const noServerCode = {
  name: 'no-server-code',
  setup(build) {
    const serverDir = path.join(ROOT, 'server') + path.sep;
    build.onLoad({ filter: /.*/ }, (args) => {
      if (args.path.startsWith(serverDir)) {
        return { errors: [{ text: `the browser bundle must not import server code: ${path.relative(ROOT, args.path)}` }] };
      }
      return undefined;
    });
  },
};

function hash(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 10);
}

function gzipSize(bytes) {
  return zlib.gzipSync(bytes, { level: 9 }).length;
}

/**
 * @param {{ outDir?: string, minify?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ outDir: string, files: Record<string, { bytes: number, gzip: number }>, totalGzip: number }>}
 */
export async function buildWeb(options = {}) {
  const outDir = path.resolve(ROOT, options.outDir ?? path.join('dist', 'web'));
  const minify = options.minify ?? true;
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: path.join(SRC, 'src', 'main.tsx') },
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify,
    sourcemap: false,
    legalComments: 'none',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    charset: 'utf8',
    metafile: true,
    logLevel: 'silent',
    // The SDK is shared with Node: any `process.env.X` it reads is undefined in the browser.
    define: { 'process.env.NODE_ENV': '"production"', 'process.env': '{}' },
    loader: { '.css': 'css' },
    plugins: [noServerCode],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('build-web: expected one JS and one CSS output');

  const jsName = `app-${hash(js.contents)}.js`;
  const cssName = `app-${hash(css.contents)}.css`;
  const html = fs
    .readFileSync(path.join(SRC, 'index.html'), 'utf8')
    .replace('%CSS%', `/${cssName}`)
    .replace('%JS%', `/${jsName}`);
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html) || /<style\b|\sstyle=/i.test(html)) {
    throw new Error('build-web: index.html must hold no inline script or style');
  }
  const version = hash(Buffer.concat([Buffer.from(html), js.contents, css.contents]));
  const sw = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(SRC, 'sw.js')],
    bundle: false,
    write: false,
    minify,
    target: 'es2020',
    logLevel: 'silent',
    define: {
      __SHELL_VERSION__: JSON.stringify(version),
      __SHELL_ASSETS__: JSON.stringify(['/', `/${jsName}`, `/${cssName}`]),
    },
  });
  const swBytes = sw.outputFiles[0].contents;

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const outputs = { 'index.html': Buffer.from(html), [jsName]: js.contents, [cssName]: css.contents, 'sw.js': swBytes };
  const files = {};
  let totalGzip = 0;
  for (const [name, bytes] of Object.entries(outputs)) {
    fs.writeFileSync(path.join(outDir, name), bytes);
    const gz = gzipSize(bytes);
    files[name] = { bytes: bytes.length, gzip: gz };
    totalGzip += gz;
  }
  if (!options.quiet) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    for (const [name, f] of Object.entries(files)) console.log(`  ${name.padEnd(24)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}`);
    console.log(`web client built in ${path.relative(ROOT, outDir) || '.'}: ${kb(totalGzip)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)})`);
  }
  if (totalGzip > BUDGET_GZIP_BYTES) throw new Error(`build-web: ${totalGzip} bytes gzipped, over the ${BUDGET_GZIP_BYTES} budget`);
  return { outDir, files, totalGzip, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  buildWeb({ outDir: outAt >= 0 ? args[outAt + 1] : undefined, minify: !args.includes('--no-minify'), quiet: args.includes('--quiet') }).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    if (err && Array.isArray(err.errors)) for (const e of err.errors) console.error(`  ${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`);
    process.exit(1);
  });
}
