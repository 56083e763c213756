import { z } from 'zod';
import { spawnServer } from './lib/serverProcess';
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
  })
  .strict()
  .refine((o) => o.writers === undefined || o.writers <= o.clients, { message: 'writers must not exceed clients', path: ['writers'] });

/**
 * One node, `clients` clients on one incident (each a member with its own account and API
 * token), each appending one entry a second with durable acknowledgement: per entry, the time until every other client has it, and until its writer
 * has the ack; the server's CPU and memory.
 */
export async function runLatencyBench(raw: Record<string, string>): Promise<object> {
  const opts = LatencyOptionsSchema.parse(raw);
  const server = await spawnServer();
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = await auth.createIncident();
    const setupStarted = performance.now();
    const writers = opts.writers ?? opts.clients;
    const credentials = await auth.fleet(incidentId, opts.clients, writers);
    const accountsSeconds = Math.round((performance.now() - setupStarted) / 100) / 10;
    let cpu: CpuMeter | null = null;
    const metricsBefore = await scrapeMetrics(server.url, auth.adminToken);
    const result = await runFleet({ urls: [server.url], incidentId, clients: opts.clients, seconds: opts.seconds, rate: opts.rate, processes: opts.procs, writers, credentials }, async () => {
      cpu = new CpuMeter(server.pid);
    });
    const mem = memoryMb(server.pid);
    const metricsAfter = await scrapeMetrics(server.url, auth.adminToken);
    return {
      bench: 'latency',
      clients: opts.clients,
      writers,
      clientProcesses: opts.procs,
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
      serverRssMb: mem.rssMb,
      serverPeakRssMb: mem.peakRssMb,
    };
  } finally {
    await server.stop();
  }
}

function secondsToMs(seconds: number | undefined): number | null {
  return seconds === undefined ? null : Math.round(seconds * 1e5) / 100;
}
