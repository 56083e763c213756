/**
 * A bench client process: hosts some of the bench's clients, so that the time for an entry to
 * reach "every other client" is not the time one process takes to feed fifty sockets in turn.
 * Driven over IPC by bench/lib/clientWorkers.ts.
 */
import { connectFleet, observeArrivals, closeFleet } from './fleet';
import { nowMs } from './stats';
import type { BenchCredential } from './auth';

export interface WorkerJob {
  urls: string[];
  incidentId: string;
  /** Global indices of the clients this process hosts. */
  indices: number[];
  /** Their credentials, in the same order (readers may share one observer account). */
  credentials: BenchCredential[];
  /** How many of them write (the rest only read). */
  writers: number;
  seconds: number;
  rate: number;
  totalClients: number;
}

export interface WorkerReport {
  sent: Array<{ id: string; t0: number; ackMs: number | null; writer: number }>;
  /** Per entry id, [arrival time, client index] at this process's clients (excluding the writer). */
  arrivals: Record<string, Array<[number, number]>>;
}

type Message = { cmd: 'connect'; job: WorkerJob } | { cmd: 'run'; startAt: number } | { cmd: 'exit' };

let job: WorkerJob | null = null;
let fleet: Awaited<ReturnType<typeof connectFleet>> = [];
const arrivals: WorkerReport['arrivals'] = {};

process.on('message', (raw: Message) => {
  void handle(raw).catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});

async function handle(message: Message): Promise<void> {
  // Asked once the bench has read this process's CPU: exiting on our own lets a profiler
  // (BENCH_CLIENT_NODE_ARGS=--cpu-prof) write its file, which a kill would not.
  if (message.cmd === 'exit') process.exit(0);
  if (message.cmd === 'connect') {
    job = message.job;
    fleet = await connectFleet(job.urls, job.incidentId, job.credentials, job.indices);
    fleet.forEach((m, i) => {
      const index = job!.indices[i]!;
      observeArrivals(m.session, (entry, at) => {
        if (entry.author === m.client.name) return;
        (arrivals[entry.id] ??= []).push([at, index]);
      });
    });
    process.send?.({ connected: true });
    return;
  }
  if (!job) throw new Error('run before connect');
  const sent: WorkerReport['sent'] = [];
  const periodMs = 1000 / job.rate;
  const startAt = message.startAt;
  const endAt = startAt + job.seconds * 1000;
  const writers = fleet.slice(0, job.writers);
  await Promise.all(
    writers.map(async (m, i) => {
      const globalIndex = job!.indices[i]!;
      let next = startAt + (periodMs * globalIndex) / job!.totalClients;
      await sleep(next - nowMs());
      while (next < endAt) {
        const t0 = nowMs();
        const entry = m.session.appendLog({ text: `Point ${globalIndex}: ${'x'.repeat(80)}`, category: 'information' });
        const record = { id: entry.id, t0, ackMs: null as number | null, writer: globalIndex };
        sent.push(record);
        void m.session.whenAcknowledged().then(() => {
          record.ackMs ??= nowMs() - t0;
        });
        next += periodMs;
        await sleep(next - nowMs());
      }
    }),
  );
  await sleep(1500);
  closeFleet(fleet);
  const report: WorkerReport = { sent, arrivals };
  process.send?.({ report });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
