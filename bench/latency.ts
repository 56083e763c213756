import { z } from 'zod';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from './lib/serverProcess';
import { seedIncident } from './lib/seedLog';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { runFleet } from './lib/clientWorkers';
import { CpuMeter, memoryMb } from './lib/processStats';
import { BenchAuth } from './lib/auth';
import { histogramMeanMs, scrapeMetrics, stageSharesOverMs, updateStageMeansMs } from './lib/scrape';

export const LatencyOptionsSchema = z
  .object({
    clients: z.coerce.number().int().min(2).max(2000).default(50),
    seconds: z.coerce.number().min(1).max(600).default(30),
    /** Entries per second per client. */
    rate: z.coerce.number().min(0.1).max(100).default(1),
    /** Client processes (clients are spread over them, as over machines). */
    procs: z.coerce.number().int().min(1).max(16).default(4),
    /** How many clients write (default all); the others watch, sharing one observer account. */
    writers: z.coerce.number().int().min(1).max(2000).optional(),
    /**
     * A log already written before the run: `priorEntries` entries by `priorWriters` earlier
     * copies of it, each with its own Yjs client id, as every page load that wrote leaves one in
     * a long incident. Yjs walks every client id of a document in each transaction.
     */
    priorEntries: z.coerce.number().int().min(0).max(200_000).default(0),
    priorWriters: z.coerce.number().int().min(1).max(200_000).default(50),
  })
  .strict()
  .refine((o) => o.writers === undefined || o.writers <= o.clients, { message: 'writers must not exceed clients', path: ['writers'] })
  .refine((o) => o.priorEntries === 0 || o.priorWriters <= o.priorEntries, { message: 'each prior writer writes at least one of the prior entries', path: ['priorWriters'] });

/**
 * One node, `clients` clients on one incident (each a member with its own account and API
 * token), each appending one entry a second with durable acknowledgement: per entry, the time until every other client has it, and until its writer
 * has the ack; the server's CPU and memory.
 */
export async function runLatencyBench(raw: Record<string, string>): Promise<object> {
  const opts = LatencyOptionsSchema.parse(raw);
  const prior = opts.priorEntries > 0 ? await seedPriorLog(opts.priorEntries, opts.priorWriters) : null;
  const server = await spawnServer(prior ? { DATA_DIR: prior.dataDir } : {});
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = prior?.incidentId ?? (await auth.createIncident());
    const setupStarted = performance.now();
    const writers = opts.writers ?? opts.clients;
    const credentials = await auth.fleet(incidentId, opts.clients, writers);
    const accountsSeconds = Math.round((performance.now() - setupStarted) / 100) / 10;
    let cpu: CpuMeter | null = null;
    const metricsBefore = await scrapeMetrics(server.url, auth.adminToken);
    let clientMeters: CpuMeter[] = [];
    let clientCpu: number | null = null;
    const result = await runFleet(
      {
        urls: [server.url], incidentId, clients: opts.clients, seconds: opts.seconds, rate: opts.rate, processes: opts.procs, writers, credentials,
        onClientProcesses: (pids) => (clientMeters = pids.map((pid) => new CpuMeter(pid))),
        onReported: () => (clientCpu = Math.round(clientMeters.reduce((sum, m) => sum + m.percent(), 0) * 10) / 10),
      },
      async () => {
        cpu = new CpuMeter(server.pid);
      },
    );
    const mem = memoryMb(server.pid);
    const metricsAfter = await scrapeMetrics(server.url, auth.adminToken);
    return {
      bench: 'latency',
      clients: opts.clients,
      writers,
      clientProcesses: opts.procs,
      priorEntries: opts.priorEntries,
      priorWriters: opts.priorEntries > 0 ? opts.priorWriters : 0,
      seconds: opts.seconds,
      accountsSeconds,
      entries: result.entries,
      fullyDelivered: result.fullyDelivered,
      fanoutMs: result.fanoutAllMs,
      firstEntriesFanoutMs: result.firstEntriesFanoutMs,
      ackMs: result.ackMs,
      /** The server's own share of each ack: the group commit (fsync included), from its metrics. */
      journalCommitMeanMs: histogramMeanMs(metricsBefore, metricsAfter, 'crisis_journal_commit_seconds'),
      /** Where an update's time goes in the server, stage by stage (mean ms; server/documents/updateStages.ts). */
      updateStagesMeanMs: updateStageMeansMs(metricsBefore, metricsAfter),
      /** Share (%) of updates whose broadcast left the server later than each bound after receiving them. */
      broadcastSharesOverMs: stageSharesOverMs(metricsBefore, metricsAfter, 'broadcast'),
      /** The same for the journal commit (its fsync, or PostgreSQL's): how much of that tail is the disk's. */
      committedSharesOverMs: stageSharesOverMs(metricsBefore, metricsAfter, 'committed'),
      /**
       * The server's event loop delay over the run (prom-client's monitor, reset by the scrape
       * before it): a fan-out tail without a matching delay here is the clients' own.
       */
      serverEventLoopDelayMs: {
        p99: secondsToMs(metricsAfter.get('nodejs_eventloop_lag_p99_seconds')),
        max: secondsToMs(metricsAfter.get('nodejs_eventloop_lag_max_seconds')),
      },
      serverCpuPercentOfOneCore: (cpu as CpuMeter | null)?.percent() ?? null,
      /** The client processes together, from everyone connected to the last report: the SDK's share. */
      clientProcessesCpuPercentOfOneCore: clientCpu,
      serverRssMb: mem.rssMb,
      serverPeakRssMb: mem.peakRssMb,
    };
  } finally {
    await server.stop();
    if (prior) fs.rmSync(prior.dataDir, { recursive: true, force: true });
  }
}

/** A database holding an incident whose log was written before the run (the server snapshots it as it would). */
async function seedPriorLog(entries: number, writers: number): Promise<{ dataDir: string; incidentId: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-bench-'));
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  try {
    return { dataDir, incidentId: await seedIncident(store, entries, writers) };
  } finally {
    await store.close();
  }
}

function secondsToMs(seconds: number | undefined): number | null {
  return seconds === undefined ? null : Math.round(seconds * 1e5) / 100;
}
