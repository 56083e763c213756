/**
 * The guard rails bite: `npm run lint` (eslint.config.mjs) and `npm run depcruise`
 * (.dependency-cruiser.cjs + scripts/lint/folderCycles.mjs) fail on deliberate violations kept in
 * test/guardrails/fixtures, and pass their controls. The tools run as child processes, with the
 * repository's own configuration, exactly as `npm test` runs them.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'test/guardrails/fixtures';
const LAYERS = path.join(ROOT, FIXTURES, 'layers');

/** Runs a command that is expected to fail; returns its output and exit code. */
async function failing(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('ESLint (eslint.config.mjs)', () => {
  /** fixture → the path it is linted as → the rules it must break (none: a control). */
  const cases: Array<[fixture: string, as: string, rules: string[]]> = [
    ['lint/tooManyLines.ts', 'server/guardrailFixture/tooManyLines.ts', ['max-lines']],
    ['lint/fourHundredLines.ts', 'server/guardrailFixture/fourHundredLines.ts', []],
    ['lint/longFunction.ts', 'server/guardrailFixture/longFunction.ts', ['max-lines-per-function']],
    ['lint/fullFunction.ts', 'server/guardrailFixture/fullFunction.ts', []],
    ['lint/sleepsInATest.ts', 'test/guardrailFixture/sleepsInATest.ts', ['local/no-test-sleep', 'local/no-test-sleep', 'local/no-test-sleep', 'local/no-test-sleep', 'local/no-test-sleep']],
    ['lint/sleepsInATest.ts', 'test/helpers/poll.ts', []],
    ['lint/waitsWithoutSleeping.ts', 'test/guardrailFixture/waitsWithoutSleeping.ts', []],
    ['lint/fakeTimers.ts', 'test/guardrailFixture/fakeTimers.ts', []],
    ['lint/tooManyLines.ts', 'test/guardrailFixture/tooManyLines.test.ts', ['max-lines']],
    ['lint/conditionalHook.tsx', 'client/web/src/guardrailFixture/Counter.tsx', ['react-hooks/rules-of-hooks']],
  ];
  let found: Record<string, string[]>;

  beforeAll(async () => {
    // One child process for every case; each fixture is keyed by its index so a file can be linted as two paths.
    const args = cases.map(([fixture, as], i) => `${FIXTURES}/${fixture}=${as}#${i}`);
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'test/guardrails/lintAs.mjs'), ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    found = JSON.parse(stdout) as Record<string, string[]>;
  });

  test.each(cases.map((c, i) => [...c, i] as const))('%s linted as %s breaks %j', (fixture, as, rules, i) => {
    expect(found[`${FIXTURES}/${fixture}#${i}`]?.slice().sort()).toEqual([...rules].sort());
    expect(as).toBeTruthy();
  });
});

describe('dependency-cruiser (.dependency-cruiser.cjs)', () => {
  test('each layer rule refuses its violation in the fixture tree', async () => {
    const { code, stdout } = await failing(
      path.join(ROOT, 'node_modules/.bin/depcruise'),
      ['--config', path.join(ROOT, '.dependency-cruiser.cjs'), 'server', 'shared', 'client'],
      LAYERS,
    );
    // The same reporter as `npm run depcruise`: one `error rule: from → to` line per violation (a
    // cycle's path continues on the lines below), and a non-zero exit.
    expect(code).not.toBe(0);
    const seen = stdout
      .split('\n')
      .map((line) => /^\s*error ([\w-]+): (\S+) →\s*(\S*)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      // A cycle is reported once, from whichever of its files comes first: name its folder.
      // A package is named by its name, wherever node_modules is and whatever file its entry is.
      .map((m) => (m[3] ? `${m[1]}: ${m[2]} → ${m[3].replace(/^.*node_modules\/([^/]+)\/.*$/, 'package $1')}` : `${m[1]}: ${path.dirname(m[2]!)}`));
    seen.sort();
    expect(seen).toEqual([
      'auth-not-policy-or-audit: server/auth/login.ts → server/policy/rules.ts',
      'client-not-server: client/readsServer.ts → server/secret.ts',
      'documents-not-transport: server/documents/room.ts → server/transport/emit.ts',
      'no-circular: server/gamma',
      'no-web-framework-below-transport: server/documents/socketRoom.ts → package socket.io',
      'shared-is-neutral: shared/leaksServer.ts → server/secret.ts',
      'storage-fanout-below-the-rooms: server/storage/store.ts → server/documents/room.ts',
    ]);
  });

  test('a cycle between two folders of server/ fails the folder check, though no file is in a cycle', async () => {
    const { code, stderr } = await failing(process.execPath, [path.join(ROOT, 'scripts/lint/folderCycles.mjs'), '--base', LAYERS], ROOT);
    expect(code).toBe(1);
    expect(stderr).toContain('error no-server-folder-cycle: server/alpha ⇄ server/beta');
    expect(stderr).toContain('server/alpha/a.ts → server/beta/b.ts');
    expect(stderr).toContain('server/beta/b2.ts → server/alpha/aRoot.ts');
    expect(stderr).not.toContain('gamma');
  });
});
