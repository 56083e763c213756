import { z } from 'zod';
import { BenchAuth } from './lib/auth';
import { runFleet } from './lib/clientWorkers';
import { startBenchCluster } from './lib/clusterNodes';
import { CpuMeter, MachineCpuMeter, memoryMb } from './lib/processStats';
import { histogramMeanMs, scrapeMetrics, stageSharesOverMs, updateStageMeansMs } from './lib/scrape';

export const ClusterOptionsSchema = z
  .object({
    /** Client counts to run one after the other, comma-separated (e.g. "50,200"). */
    clients: z
      .string()
      .default('50,200')
      .transform((s) => s.split(',').map((n) => Number(n.trim())))
      .pipe(z.array(z.number().int().min(2).max(2000)).min(1)),
    seconds: z.coerce.number().min(1).max(600).default(30),
    /** Entries per second per client. */
    rate: z.coerce.number().min(0.1).max(100).default(1),
    /** Client processes (clients are spread over them, as over machines). */
    procs: z.coerce.number().int().min(1).max(16).default(4),
    nodes: z.coerce.number().int().min(2).max(8).default(2),
  })
  .strict();


/** Above this, the machine had no spare CPU: the figures measure the clients' contention too. */
const SATURATED_PERCENT = 90;

/**
 * Several server nodes (separate processes) over the real Redis and PostgreSQL, clients split
 * evenly over them on one incident (each a member with its own account and API token), each appending one entry a second with durable
 * acknowledgement (ack after the PostgreSQL commit). Per entry: the time until the first client
 * on another node has it, and until every client has it; each node's CPU; the machine's.
 */
export async function runClusterBench(raw: Record<string, string>): Promise<object> {
  const opts = ClusterOptionsSchema.parse(raw);
  const cluster = await startBenchCluster(opts.nodes, 'cluster');
  try {
    const urls = cluster.nodes.map((n) => n.url);
    // The nodes share one database, hence one administrator (made by the first node's first start) and one set of accounts.
    const auth = await BenchAuth.login(urls[0]!);
    const runs = [];
    for (const clients of opts.clients) {
      const incidentId = await auth.createIncident();
      // Every client writes: each a member with an account and API token of its own.
      const credentials = await auth.fleet(incidentId, clients);
      const metricsBefore = await Promise.all(urls.map((u) => scrapeMetrics(u, auth.adminToken)));
      let meters: CpuMeter[] = [];
      let clientMeters: CpuMeter[] = [];
      let machine: MachineCpuMeter | null = null;
      let clientCpuPercent: number | null = null;
      const result = await runFleet({
        urls,
        incidentId,
        clients,
        seconds: opts.seconds,
        rate: opts.rate,
        processes: opts.procs,
        credentials,
        onClientProcesses: (pids) => {
          // From the moment everyone is connected: the writing phase (plus 1 s lead-in and the drain).
          meters = cluster.nodes.map((n) => new CpuMeter(n.pid));
          clientMeters = pids.map((pid) => new CpuMeter(pid));
          machine = new MachineCpuMeter();
        },
        onReported: () => {
          clientCpuPercent = Math.round(clientMeters.reduce((sum, m) => sum + m.percent(), 0) * 10) / 10;
        },
      });
      const machinePercent = (machine as MachineCpuMeter | null)?.percent() ?? null;
      const metricsAfter = await Promise.all(urls.map((u) => scrapeMetrics(u, auth.adminToken)));
      runs.push({
        clients,
        clientsPerNode: clients / opts.nodes,
        entries: result.entries,
        fullyDelivered: result.fullyDelivered,
        firstOtherNodeMs: result.firstOtherNodeMs,
        fanoutAllMs: result.fanoutAllMs,
        firstEntriesFanoutMs: result.firstEntriesFanoutMs,
        ackMs: result.ackMs,
        nodes: cluster.nodes.map((n, i) => ({
          node: n.name,
          cpuPercentOfOneCore: meters[i]?.percent() ?? null,
          ...memoryMb(n.pid),
          // From the node's own /metrics over this run: the server-side share of the latencies.
          journalCommitMeanMs: histogramMeanMs(metricsBefore[i]!, metricsAfter[i]!, 'crisis_journal_commit_seconds'),
          redisPublishMeanMs: histogramMeanMs(metricsBefore[i]!, metricsAfter[i]!, 'crisis_fanout_publish_seconds'),
          catchUps: (metricsAfter[i]!.get('crisis_catchups_total') ?? 0) - (metricsBefore[i]!.get('crisis_catchups_total') ?? 0),
          updateStagesMeanMs: updateStageMeansMs(metricsBefore[i]!, metricsAfter[i]!),
          broadcastSharesOverMs: stageSharesOverMs(metricsBefore[i]!, metricsAfter[i]!, 'broadcast'),
          committedSharesOverMs: stageSharesOverMs(metricsBefore[i]!, metricsAfter[i]!, 'committed'),
        })),
        clientProcessesCpuPercentOfOneCore: clientCpuPercent,
        machineCpuPercent: machinePercent,
        machineSaturated: machinePercent !== null && machinePercent >= SATURATED_PERCENT,
      });
    }
    return {
      bench: 'cluster',
      nodes: opts.nodes,
      storage: 'postgres',
      fanout: 'redis',
      durableAck: true,
      seconds: opts.seconds,
      ratePerClient: opts.rate,
      clientProcesses: opts.procs,
      cores: (await import('node:os')).cpus().length,
      runs,
    };
  } finally {
    await cluster.stop();
  }
}
