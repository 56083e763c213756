import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import { seedTimelineIncident } from '../../bench/lib/seedTimeline';
import { onTeardown, tempDir } from '../helpers/testServer';
import { REPO_ROOT } from '../helpers/serverProcess';
import { cli } from './helpers/cli';

/** `npx crisis-cell ...` as an operator runs it: bin/crisis-cell.js in a process of its own. */
function crisisCell(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'crisis-cell.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CRISIS_CELL_FROM_SOURCE: '1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTeardown(() => void child.kill('SIGKILL'));
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

let dataDir: string;
let incident: string;

beforeEach(async () => {
  dataDir = tempDir();
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  onTeardown(() => store.close());
  // Large enough for the progress bar (5,000 records or more).
  incident = (await seedTimelineIncident(store, { logEntries: 5_200, taskMoves: 60, decisions: 6, spanHours: 6 })).id;
  await store.close();
});

test('npx crisis-cell export writes the PDF file, says what it wrote, and draws no bar into a pipe', async () => {
  const out = path.join(dataDir, 'exports', 'chronologie.pdf');
  const run = await crisisCell(['export', incident, '--format', 'pdf', '--out', out, '--by', 'Cheffe de salle'], { DATA_DIR: dataDir });
  expect(run.stderr).not.toMatch(/[█░\r]/);
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(new RegExp(`^\\d+ events → ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pdf, [\\d.]+ s\\)\\. Journal head \\d+(?:-\\d+){5}:[0-9a-f]{64}\\. journal chain intact\\.\\n$`));
  expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  expect(fs.existsSync(`${out}.partial`)).toBe(false);
});

test('on a terminal, a large export shows a progress bar on stderr and the JSON goes to stdout', async () => {
  const run = await cli(['export', incident, '--format', 'json'], { DATA_DIR: dataDir }, { tty: true });
  expect(run.code).toBe(0);
  expect(run.stderr).toMatch(/journal\s+\[[█░]+\]\s+\d+% [\d\u202f ]+\/[\d\u202f ]+ [\d.]+ s/);
  expect(run.stderr).toContain('\r\x1b[K');
  const doc = TimelineExportSchema.parse(JSON.parse(run.stdout));
  expect(doc.eventCount).toBeGreaterThan(5_200);
  // Without --by, the operator's login name.
  expect(doc.producedBy).toBe(os.userInfo().username);
  // Not a terminal: no bar.
  const piped = await cli(['export', incident, '--format', 'csv'], { DATA_DIR: dataDir }, { tty: false });
  expect(piped.stderr).not.toContain('█');
  // A PDF is not written to a terminal.
  const pdf = await cli(['export', incident, '--format', 'pdf'], { DATA_DIR: dataDir }, { tty: true });
  expect(pdf.code).toBe(2);
  expect(pdf.stderr).toMatch(/--out/);
});

test('usage errors are clear, exit 2 and write nothing', async () => {
  const out = path.join(dataDir, 'x.json');
  for (const args of [['export'], ['export', incident, '--format', 'docx'], ['export', incident, '--from', 'hier'], ['export', incident, '--kinds', 'gossip'], ['export', incident, '--bogus'], ['frobnicate']]) {
    const run = await cli([...args, '--out', out], { DATA_DIR: dataDir });
    expect([args.join(' '), run.code]).toEqual([args.join(' '), 2]);
    expect(run.stderr).toMatch(/^crisis-cell/);
  }
  expect(fs.existsSync(out)).toBe(false);
  const unknown = await cli(['export', '0000000000000000'], { DATA_DIR: dataDir });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/NOT_FOUND: no incident/);
  const help = await cli(['help'], {});
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('crisis-cell export <incident>');
  // The format follows the file's extension.
  const md = path.join(dataDir, 'chrono.md');
  expect((await cli(['export', incident, '--out', md], { DATA_DIR: dataDir })).code).toBe(0);
  expect(fs.readFileSync(md, 'utf8')).toMatch(/^# Chronologie de l’incident/);
});
