import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { requestChild } from './childRequest';
import type { WorkerJob, WorkerReport } from './clientWorker';
import type { BenchCredential } from './auth';
import { nowMs, summarize } from './stats';

export interface FleetRun {
  urls: string[];
  incidentId: string;
  clients: number;
  /** How many clients write (the lowest indices); the others only watch. Default: all. */
  writers?: number;
  seconds: number;
  rate: number;
  /** Client processes; client i uses urls[i % urls.length]. */
  processes: number;
  /** Client i connects with credentials[i] (BenchAuth.fleet: writers first, then readers). */
  credentials: BenchCredential[];
  /** Told the pids of the client processes once they are connected (to measure their CPU). */
  onClientProcesses?: (pids: number[]) => void;
  /** Called once every client process has reported, while they are still alive. */
  onReported?: () => void;
}

export interface FleetResult {
  entries: number;
  fullyDelivered: number;
  /** Time until every other client has the entry. */
  fanoutAllMs: ReturnType<typeof summarize>;
  /** Time until the first client on another node has it (with several URLs). */
  firstOtherNodeMs: ReturnType<typeof summarize> | null;
  ackMs: ReturnType<typeof summarize>;
  /**
   * Time to every other client of each writer's first entry alone (one in `seconds × rate`):
   * the run's coldest second, and on this server a new client id's first use. It sits in the
   * fan-out's tail, so a p99 is read beside it.
   */
  firstEntriesFanoutMs: ReturnType<typeof summarize>;
}

/**
 * Spreads the clients over child processes, as they would be spread over machines, runs the
 * writing phase, and gathers the timings. `duringRun` runs alongside (fault injection).
 */
export async function runFleet(run: FleetRun, duringRun?: () => Promise<void>): Promise<FleetResult> {
  const writers = run.writers ?? run.clients;
  if (run.credentials.length < run.clients) throw new Error(`runFleet: ${run.credentials.length} credentials for ${run.clients} clients`);
  const groups: number[][] = Array.from({ length: Math.min(run.processes, run.clients) }, () => []);
  for (let i = 0; i < run.clients; i++) groups[i % groups.length]!.push(i);
  const children: ChildProcess[] = [];
  try {
    await Promise.all(
      groups.map((indices) => {
        const child = fork(path.join(__dirname, 'clientWorker.ts'), [], { // BENCH_CLIENT_NODE_ARGS: Node flags for the client processes (e.g. --cpu-prof).
        execArgv: ['--import', 'tsx', ...(process.env.BENCH_CLIENT_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        const job: WorkerJob = { urls: run.urls, incidentId: run.incidentId, indices, credentials: indices.map((i) => run.credentials[i]!), writers: indices.filter((i) => i < writers).length, seconds: run.seconds, rate: run.rate, totalClients: writers };
        return requestChild(child, { cmd: 'connect', job }, 'connected', 'bench client process');
      }),
    );
    run.onClientProcesses?.(children.map((c) => c.pid!));
    const startAt = nowMs() + 1000;
    const [reports] = await Promise.all([
      Promise.all(children.map((child) => requestChild<{ report: WorkerReport }>(child, { cmd: 'run', startAt }, 'report', 'bench client process'))),
      duringRun?.(),
    ]);
    run.onReported?.();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            const timer = setTimeout(resolve, 5_000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.send({ cmd: 'exit' });
          }),
      ),
    );
    return analyse(run, reports.map((r) => r.report));
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
  }
}

/** Per entry: time to every other client, to the first client on another node, and to the ack. */
export function analyse(run: Pick<FleetRun, 'urls' | 'clients'>, reports: WorkerReport[]): FleetResult {
  const arrivals = new Map<string, Array<[number, number]>>();
  for (const r of reports) for (const [id, list] of Object.entries(r.arrivals)) arrivals.set(id, [...(arrivals.get(id) ?? []), ...list]);
  const nodeOf = (client: number) => client % run.urls.length;
  const fanout: number[] = [];
  const firstOther: number[] = [];
  const acks: number[] = [];
  const firstEntries: number[] = [];
  const sent = reports.flatMap((r) => r.sent).sort((a, b) => a.t0 - b.t0);
  const wroteBefore = new Set<number>();
  for (const s of sent) {
    const list = arrivals.get(s.id) ?? [];
    const first = !wroteBefore.has(s.writer);
    wroteBefore.add(s.writer);
    if (list.length === run.clients - 1) {
      const toAll = Math.max(...list.map(([at]) => at)) - s.t0;
      fanout.push(toAll);
      if (first) firstEntries.push(toAll);
    }
    const other = list.filter(([, c]) => nodeOf(c) !== nodeOf(s.writer)).map(([at]) => at);
    if (run.urls.length > 1 && other.length > 0) firstOther.push(Math.min(...other) - s.t0);
    if (s.ackMs !== null) acks.push(s.ackMs);
  }
  return {
    entries: sent.length,
    fullyDelivered: fanout.length,
    fanoutAllMs: summarize(fanout),
    firstOtherNodeMs: run.urls.length > 1 ? summarize(firstOther) : null,
    ackMs: summarize(acks),
    firstEntriesFanoutMs: summarize(firstEntries),
  };
}
