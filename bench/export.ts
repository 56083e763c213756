import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { EXPORT_FORMATS } from '../shared/timeline/exportDocument';
import { seedTimelineIncident } from './lib/seedTimeline';

const ROOT = path.resolve(__dirname, '..');
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export const ExportBenchOptionsSchema = z
  .object({
    entries: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    moves: z.coerce.number().int().min(0).max(100_000).default(5_000),
    decisions: z.coerce.number().int().min(0).max(10_000).default(500),
    formats: z.string().default('json,csv,md,html,pdf').transform(list).pipe(z.array(z.enum(EXPORT_FORMATS)).min(1)),
    /** Also time `crisis-cell verify` of the incident. */
    verify: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  })
  .strict();

/** Targets of issue 6, on the 2-core reference machine. */
const TARGETS = { seconds: { json: 5, csv: 5, md: 5, html: 5, svg: 5, pdf: 30 }, peakRssMb: 500 } as const;

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  bytes: number;
  code: number;
  stderr: string;
}

/**
 * Runs the real CLI (bin/crisis-cell.js: dist/ when built, which `npm run bench` does) in a
 * child process of its own, so each format's peak memory is its own, reported by the child at
 * exit (bench/lib/reportUsage.cjs).
 */
function runCli(args: string[], env: Record<string, string>, out: string | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--require', path.join(__dirname, 'lib', 'reportUsage.cjs'), path.join(ROOT, 'bin', 'crisis-cell.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let usage = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (usage += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const u = JSON.parse(usage.trim() || '{"maxRssKb":0,"userMs":0,"systemMs":0}') as { maxRssKb: number; userMs: number; systemMs: number };
      resolve({
        seconds: round(seconds),
        cpuSeconds: round((u.userMs + u.systemMs) / 1000),
        peakRssMb: Math.round(u.maxRssKb / 1024),
        bytes: out && fs.existsSync(out) ? fs.statSync(out).size : 0,
        code: code ?? -1,
        stderr: stderr.trim(),
      });
    });
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * `npm run bench -- export`: an incident of 100,000 log entries, 5,000 task moves and 500
 * decisions written straight into a SQLite journal, then exported in every format by
 * `crisis-cell export`, one child process per format: wall time, CPU time, peak memory, size.
 */
export async function runExportBench(raw: Record<string, string>): Promise<object> {
  const opts = ExportBenchOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-bench-export-'));
  try {
    const seedStarted = performance.now();
    const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
    const seeded = await seedTimelineIncident(store, { logEntries: opts.entries, taskMoves: opts.moves, decisions: opts.decisions });
    await store.close();
    const seedSeconds = round((performance.now() - seedStarted) / 1000);
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

    const formats: Record<string, Omit<Run, 'stderr' | 'code'> & { withinTarget: boolean; events: number | null }> = {};
    for (const format of opts.formats) {
      const out = path.join(dataDir, `timeline.${format}`);
      const run = await runCli(['export', seeded.id, '--format', format, '--out', out, '--by', 'bench'], env, out);
      if (run.code !== 0) throw new Error(`BENCH_EXPORT_FAILED: ${format} exited ${run.code}: ${run.stderr}`);
      const events = /^(\d+) events/m.exec(run.stderr);
      const { stderr: _stderr, code: _code, ...measured } = run;
      formats[format] = { ...measured, events: events ? Number(events[1]) : null, withinTarget: run.seconds < TARGETS.seconds[format] && run.peakRssMb < TARGETS.peakRssMb };
      fs.rmSync(out, { force: true });
    }
    const verify = opts.verify ? await runCli(['verify', seeded.id], env, null) : null;
    return {
      bench: 'export',
      entries: opts.entries,
      taskMoves: opts.moves,
      decisions: opts.decisions,
      journalRecords: seeded.records,
      databaseMb: round(fs.statSync(path.join(dataDir, 'crisis-cell.db')).size / 1e6),
      seedSeconds,
      cli: fs.existsSync(path.join(ROOT, 'dist', 'server', 'cli', 'main.js')) ? 'dist' : 'tsx (not built)',
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map(round),
      targets: TARGETS,
      formats,
      ...(verify ? { verify: { seconds: verify.seconds, cpuSeconds: verify.cpuSeconds, peakRssMb: verify.peakRssMb, ok: verify.code === 0 } } : {}),
      allWithinTargets: Object.values(formats).every((f) => f.withinTarget),
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
