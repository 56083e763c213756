import { z } from 'zod';
import { fork } from 'node:child_process';
import path from 'node:path';
import { LIFTED_WRITE_LIMITS, spawnServer } from './lib/serverProcess';
import { CpuMeter, MachineCpuMeter, memoryMb } from './lib/processStats';
import { BenchAuth } from './lib/auth';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { GcTrace } from './lib/gcTrace';
import { prepareBaseline } from './lib/baseline';
import { median, ratio } from './peer/compare';

export const ThroughputOptionsSchema = z
  .object({
    writers: z.coerce.number().int().min(1).max(64).default(4),
    seconds: z.coerce.number().min(1).max(300).default(10),
    /** Appends each writer keeps in flight before waiting for their acks. */
    window: z.coerce.number().int().min(1).max(5000).default(200),
    procs: z.coerce.number().int().min(1).max(8).default(2),
    /** A commit to run against in the same run (e.g. 3fa0839): checked out, built and measured in turn with this one. */
    baseline: z.string().regex(/^[0-9a-fA-F]{7,40}$/, 'a commit hash').optional(),
    /** With a baseline: rounds of (this server, the baseline), medians reported. */
    rounds: z.coerce.number().int().min(1).max(10).default(1),
  })
  .strict();
type ThroughputOptions = z.output<typeof ThroughputOptionsSchema>;

/**
 * Durable appends per second on one document: writers pipeline appends (a window in flight,
 * then wait for the acks) through the real server; every ack means committed (group commit).
 * With --baseline, the same against an older commit's server in the same run, interleaved.
 */
export async function runThroughputBench(raw: Record<string, string>): Promise<object> {
  const opts = ThroughputOptionsSchema.parse(raw);
  if (!opts.baseline) return { bench: 'throughput', ...(await measure(opts)), writeLimits: 'lifted for this bench' };
  const baseline = prepareBaseline(opts.baseline);
  try {
    const current: Array<Awaited<ReturnType<typeof measure>>> = [];
    const older: Array<Awaited<ReturnType<typeof measure>>> = [];
    for (let round = 0; round < opts.rounds; round++) {
      current.push(await measure(opts));
      older.push(await measure(opts, baseline.root));
    }
    const perSecond = (runs: typeof current) => median(runs.map((r) => r.appendsPerSecond));
    const gcShare = (runs: typeof current) => median(runs.map((r) => r.gc.sharePercent));
    return {
      bench: 'throughput',
      baseline: baseline.commit,
      rounds: opts.rounds,
      appendsPerSecond: { current: perSecond(current), baseline: perSecond(older), ratio: ratio(perSecond(current), perSecond(older)) },
      gcSharePercent: { current: gcShare(current), baseline: gcShare(older) },
      target: 'appendsPerSecond ratio ≥ 2 (issue 15)',
      current,
      baselineRuns: older,
      writeLimits: 'lifted for this bench',
    };
  } finally {
    baseline.remove();
  }
}

/** One run on a fresh server: this checkout's, or the one at `root`. */
async function measure(opts: ThroughputOptions, root?: string) {
  // Writers pipeline whole windows of appends: the per-connection rate limit (200/s) and the
  // write budgets would refuse them. What is measured here is the journal, so they are lifted.
  const gc = new GcTrace();
  const server = await spawnServer(LIFTED_WRITE_LIMITS, { root, nodeArgs: ['--trace-gc'], onStdout: gc.onStdout });
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = await auth.createIncident();
    const credentials = await auth.fleet(incidentId, opts.writers);
    const perProc = Math.ceil(opts.writers / opts.procs);
    const cpu = new CpuMeter(server.pid);
    const started = performance.now();
    const gcFrom = gc.now();
    const machine = new MachineCpuMeter();
    const workers = await Promise.all(
      Array.from({ length: opts.procs }, (_, p) =>
        new Promise<{ acked: number; cpuSeconds: number }>((resolve, reject) => {
          const child = fork(path.join(__dirname, 'lib/throughputWorker.ts'), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CLIENT_NODE_ARGS ?? '').split(' ').filter(Boolean)] });
          child.on('message', (m: { acked?: number; cpuSeconds?: number; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve({ acked: m.acked ?? 0, cpuSeconds: m.cpuSeconds ?? 0 })));
          child.on('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
          child.send({ url: server.url, incidentId, credentials: credentials.slice(p * perProc, (p + 1) * perProc), seconds: opts.seconds, window: opts.window, base: p * perProc });
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const gcTo = gc.now();
    const cpuPercent = cpu.percent();
    const machineBusyPercent = machine.percent();
    const rssMb = memoryMb(server.pid).rssMb;
    const acked = workers.reduce((n, w) => n + w.acked, 0);
    const writersCpuPercent = Math.round((workers.reduce((n, w) => n + w.cpuSeconds, 0) / elapsed) * 1000) / 10;
    // Stopping flushes the server's buffered --trace-gc lines.
    await server.stop();
    const store = new SqliteStore(path.join(server.dataDir, 'crisis-cell.db'));
    const head = await store.headSeq(`${incidentId}:log`);
    await store.close();
    return {
      writers: opts.writers,
      window: opts.window,
      seconds: Math.round(elapsed * 10) / 10,
      durableAppends: acked,
      journalRecords: head,
      appendsPerSecond: Math.round(acked / elapsed),
      serverCpuPercentOfOneCore: cpuPercent,
      /** The writer processes' CPU, summed: with the server's, what the run left of the cores (machineBusyPercent: 100 = all saturated). */
      writersCpuPercentOfOneCore: writersCpuPercent,
      machineBusyPercent,
      serverRssMb: rssMb,
      /** Garbage-collection pauses in the server during the writing (--trace-gc), and their share of it. */
      gc: gc.summary(gcFrom, gcTo),
    };
  } finally {
    await server.stop();
  }
}
