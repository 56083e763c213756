import { z } from 'zod';
import { fork } from 'node:child_process';
import path from 'node:path';
import { spawnServer } from './lib/serverProcess';
import { CpuMeter, memoryMb } from './lib/processStats';
import { createIncidentOver } from './lib/rest';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';

export const ThroughputOptionsSchema = z
  .object({
    writers: z.coerce.number().int().min(1).max(64).default(4),
    seconds: z.coerce.number().min(1).max(300).default(10),
    /** Appends each writer keeps in flight before waiting for their acks. */
    window: z.coerce.number().int().min(1).max(5000).default(200),
    procs: z.coerce.number().int().min(1).max(8).default(2),
  })
  .strict();

/**
 * Durable appends per second on one document: writers pipeline appends (a window in flight,
 * then wait for the acks) through the real server; every ack means committed (group commit).
 */
export async function runThroughputBench(raw: Record<string, string>): Promise<object> {
  const opts = ThroughputOptionsSchema.parse(raw);
  const server = await spawnServer();
  try {
    const incidentId = await createIncidentOver(server.url);
    const perProc = Math.ceil(opts.writers / opts.procs);
    const cpu = new CpuMeter(server.pid);
    const started = performance.now();
    const counts = await Promise.all(
      Array.from({ length: opts.procs }, (_, p) =>
        new Promise<number>((resolve, reject) => {
          const child = fork(path.join(__dirname, 'lib/throughputWorker.ts'), [], { execArgv: ['--import', 'tsx'] });
          child.on('message', (m: { acked?: number; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.acked ?? 0)));
          child.on('exit', (code) => code !== 0 && reject(new Error(`worker exited ${code}`)));
          child.send({ url: server.url, incidentId, writers: Math.min(perProc, opts.writers - p * perProc), seconds: opts.seconds, window: opts.window, base: p * perProc });
        }),
      ),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpuPercent = cpu.percent();
    const rssMb = memoryMb(server.pid).rssMb;
    const acked = counts.reduce((a, b) => a + b, 0);
    await server.stop();
    const store = new SqliteStore(path.join(server.dataDir, 'crisis-cell.db'));
    const head = await store.headSeq(`${incidentId}:log`);
    await store.close();
    return {
      bench: 'throughput',
      writers: opts.writers,
      window: opts.window,
      seconds: Math.round(elapsed * 10) / 10,
      durableAppends: acked,
      journalRecords: head,
      appendsPerSecond: Math.round(acked / elapsed),
      serverCpuPercentOfOneCore: cpuPercent,
      serverRssMb: rssMb,
    };
  } finally {
    await server.stop();
  }
}
