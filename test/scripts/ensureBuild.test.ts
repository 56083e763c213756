import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/testServer';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

jest.setTimeout(600_000);

/** A copy of the project's sources and build configuration (node_modules linked), so the real dist/ is left alone. */
function projectCopy(): string {
  const dir = tempDir('crisis-build-');
  for (const d of ['server', 'shared', 'client', 'scripts']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true, preserveTimestamps: true });
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function ensure(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [path.join(dir, 'scripts', 'ensure-build.mjs'), ...args], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('npm start builds once with its steps shown, then reuses the build until a source changes', async () => {
  const dir = projectCopy();
  try {
    expect(await ensure(dir, '--check')).toEqual({ code: 1, out: 'build: needed: no build yet (dist/server/main.js is missing)\n' });

    const first = await ensure(dir);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^build: no build yet \(dist\/server\/main\.js is missing\): building \(2 steps\)\n/);
    expect(first.out).toMatch(/\[1\/2\] server \(tsc\)…\n\[1\/2\] server \(tsc\): done in [\d.]+ s\n/);
    expect(first.out).toMatch(/\[2\/2\] web client \(esbuild\)…\n\[2\/2\] web client \(esbuild\): done in [\d.]+ s\n/);
    expect(first.out).toMatch(/build: ready in [\d.]+ s\n$/);
    const main = path.join(dir, 'dist', 'server', 'main.js');
    const builtAt = fs.statSync(main).mtimeMs;

    // Nothing changed: reused, nothing written.
    expect(await ensure(dir)).toEqual({ code: 0, out: 'build: up to date, reused (dist/)\n' });
    expect(fs.statSync(main).mtimeMs).toBe(builtAt);
    expect((await ensure(dir, '--check')).code).toBe(0);

    // A source edited: the next start builds, and says why.
    const edited = path.join(dir, 'shared', 'model', 'common.ts');
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(edited, later, later);
    expect(await ensure(dir, '--check')).toEqual({ code: 1, out: `build: needed: ${path.join('shared', 'model', 'common.ts')} changed since the last build\n` });

    // A source added (even with an old time) is seen too.
    const added = path.join(dir, 'server', 'extra.ts');
    fs.writeFileSync(added, 'export const extra = 1;\n');
    const old = new Date(0);
    fs.utimesSync(added, old, old);
    expect((await ensure(dir, '--check')).out).toMatch(/files were added or removed/);

    // A build that stopped half-way (no stamp) is not trusted.
    fs.rmSync(path.join(dir, 'dist', '.build-stamp.json'));
    expect((await ensure(dir, '--check')).out).toMatch(/left no stamp/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
