import { z } from 'zod';
import { spawnServer } from './lib/serverProcess';
import { runFleet } from './lib/clientWorkers';
import { CpuMeter, memoryMb } from './lib/processStats';
import { createIncidentOver } from './lib/rest';

export const LatencyOptionsSchema = z
  .object({
    clients: z.coerce.number().int().min(2).max(2000).default(50),
    seconds: z.coerce.number().min(1).max(600).default(30),
    /** Entries per second per client. */
    rate: z.coerce.number().min(0.1).max(100).default(1),
    /** Client processes (clients are spread over them, as over machines). */
    procs: z.coerce.number().int().min(1).max(16).default(4),
  })
  .strict();

/**
 * One node, `clients` clients on one incident, each appending one entry a second with durable
 * acknowledgement: per entry, the time until every other client has it, and until its writer
 * has the ack; the server's CPU and memory.
 */
export async function runLatencyBench(raw: Record<string, string>): Promise<object> {
  const opts = LatencyOptionsSchema.parse(raw);
  const server = await spawnServer();
  try {
    const incidentId = await createIncidentOver(server.url);
    let cpu: CpuMeter | null = null;
    const result = await runFleet({ urls: [server.url], incidentId, clients: opts.clients, seconds: opts.seconds, rate: opts.rate, processes: opts.procs }, async () => {
      cpu = new CpuMeter(server.pid);
    });
    const mem = memoryMb(server.pid);
    return {
      bench: 'latency',
      clients: opts.clients,
      clientProcesses: opts.procs,
      seconds: opts.seconds,
      entries: result.entries,
      fullyDelivered: result.fullyDelivered,
      fanoutMs: result.fanoutAllMs,
      ackMs: result.ackMs,
      serverCpuPercentOfOneCore: (cpu as CpuMeter | null)?.percent() ?? null,
      serverRssMb: mem.rssMb,
      serverPeakRssMb: mem.peakRssMb,
    };
  } finally {
    await server.stop();
  }
}
