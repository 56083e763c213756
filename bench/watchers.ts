import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { CrisisClient } from '../client/sdk/crisisClient';
import { docName } from '../shared/model/parts';
import { BenchAuth } from './lib/auth';
import { spawnServer } from './lib/serverProcess';
import { startBenchCluster } from './lib/clusterNodes';
import { CpuMeter, MachineCpuMeter, cpuSeconds, openFilesLimit, rssKb } from './lib/processStats';
import { scrapeMetrics } from './lib/scrape';
import { nowMs, summarize } from './lib/stats';
import { requestChild, untilTrue } from './lib/childRequest';
import type { ArrivalReport, WatcherCommand, WatcherJob } from './lib/watcherWorker';
import { benchDecisionInput } from './lib/benchDecision';

export const WatchersOptionsSchema = z
  .object({
    watchers: z.coerce.number().int().min(1).max(20_000).default(5_000),
    /** Decisions recorded one after the other; each is timed to every watcher. */
    decisions: z.coerce.number().int().min(1).max(1_000).default(20),
    /** Client processes holding the watchers. */
    procs: z.coerce.number().int().min(1).max(16).default(4),
    /** Connections each client process opens at the same time. */
    concurrency: z.coerce.number().int().min(1).max(1_000).default(50),
    /** Seconds to let the server settle (GC, lazy allocations) before reading its memory. */
    settleSeconds: z.coerce.number().min(0).max(60).default(3),
    /** sqlite: the embedded single node; postgres: the node of a cluster (PostgreSQL + Redis). */
    backend: z.enum(['sqlite', 'postgres']).default('sqlite'),
  })
  .strict();

const PAUSE_BETWEEN_DECISIONS_MS = 250;
/** File descriptors besides the sockets (libraries, stdio, database files, spare). */
const FD_HEADROOM = 200;

/**
 * One node, thousands of read-only watchers (management following the decision record) on one
 * incident: the server's resident memory per connection, and the time for a decision recorded
 * by one SDK writer to reach every watcher.
 */
export async function runWatchersBench(raw: Record<string, string>): Promise<object> {
  const opts = WatchersOptionsSchema.parse(raw);
  const limit = openFilesLimit();
  if (limit < opts.watchers + FD_HEADROOM) {
    throw new Error(`BENCH_FD_LIMIT: ${opts.watchers} connections need ${opts.watchers + FD_HEADROOM} open files in the server; the limit is ${limit}. Run with \`ulimit -n 65536\`.`);
  }
  // postgres: one node of a cluster (fresh schema, dropped at the end); sqlite: the embedded default.
  const cluster = opts.backend === 'postgres' ? await startBenchCluster(1, 'watchers', { inspect: true }) : null;
  const server = cluster ? cluster.nodes[0]! : await spawnServer({}, { inspect: true });
  const children: ChildProcess[] = [];
  let writer: CrisisClient | null = null;
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = await auth.createIncident();
    const doc = docName(incidentId, 'decisions');
    // The writer is a director (only a director approves a decision); every watcher connects with one shared observer account and token
    // (the server allows many sockets per account): thousands of watchers, one password hash.
    const [directrice] = await auth.members(incidentId, ['Directrice de crise'], 'director');
    const [observer] = await auth.members(incidentId, ['Direction'], 'observer');
    writer = new CrisisClient({ url: server.url, name: directrice!.name, token: directrice!.token });
    const session = await writer.openIncident(incidentId);
    await session.whenSynced();
    // The writer's ack before any watcher, what the watchers' ack is compared with (the first also
    // loads the room, as on the other sides); these warm a broadcast's paths before the timed ones.
    const ackAlone = await acksWithoutWatchers(session, opts.decisions);
    await sleep(opts.settleSeconds * 1000);
    // Memory is read after a full collection each time, so garbage left by the handshakes does not count.
    await server.collectGarbage();
    const before = { rssKb: rssKb(server.pid), heapBytes: (await scrapeMetrics(server.url, auth.adminToken)).get('nodejs_heap_size_used_bytes') ?? 0 };
    // Connect the watchers, a share per process: the first half of the processes, then the
    // rest, so the memory of the second half (no one-off growth in it) gives a marginal figure.
    const arrivals = new Map<number, number[][]>();
    const arrivalListeners = new Set<() => void>();
    const jobs = watcherJobs(opts, server.url, observer!.token, doc);
    const connectJob = (job: WatcherJob) => {
      const child = fork(path.join(__dirname, 'lib/watcherWorker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      child.on('message', (m: { arrival?: ArrivalReport }) => {
        if (!m.arrival) return;
        const list = arrivals.get(m.arrival.update) ?? [];
        list.push(m.arrival.times);
        arrivals.set(m.arrival.update, list);
        for (const l of arrivalListeners) l();
      });
      return requestChild(child, { cmd: 'connect', job } satisfies WatcherCommand, 'connected', 'watcher process');
    };
    const firstHalf = jobs.slice(0, Math.max(1, Math.floor(jobs.length / 2)));
    const secondHalf = jobs.slice(firstHalf.length);
    const connectStarted = nowMs();
    await Promise.all(firstHalf.map(connectJob));
    let connectMs = nowMs() - connectStarted;
    await sleep(opts.settleSeconds * 1000);
    await server.collectGarbage();
    const midRssKb = rssKb(server.pid);
    const secondStarted = nowMs();
    await Promise.all(secondHalf.map(connectJob));
    connectMs += nowMs() - secondStarted;
    await sleep(opts.settleSeconds * 1000);
    const secondHalfCount = secondHalf.reduce((n, j) => n + j.count, 0);
    // Decisions, one at a time: each is timed until every watcher has it.
    const cpu = new CpuMeter(server.pid);
    const clientCpu = children.map((c) => new CpuMeter(c.pid!));
    const machine = new MachineCpuMeter();
    const cpuAtStart = { server: cpuSeconds(server.pid), watchers: children.reduce((n, c) => n + cpuSeconds(c.pid!), 0) };
    const { deliveries, toAll, toFirst, ackWith } = await broadcastDecisions(session, opts.decisions, children.length, arrivals, arrivalListeners);
    const cpuPercent = cpu.percent();
    const clientCpuPercent = clientCpu.reduce((n, m) => n + m.percent(), 0);
    const machinePercent = machine.percent();
    const perDecisionCpuMs = (seconds: number) => round((seconds * 1000) / opts.decisions);
    const serverCpuMsPerDecision = perDecisionCpuMs(cpuSeconds(server.pid) - cpuAtStart.server);
    const watchersCpuMsPerDecision = perDecisionCpuMs(children.reduce((n, c) => n + cpuSeconds(c.pid!), 0) - cpuAtStart.watchers);
    // The last memory reading comes after the decisions, so the collection it forces cannot touch the timed broadcasts.
    await sleep(opts.settleSeconds * 1000);
    const afterWithGarbageKb = rssKb(server.pid);
    await server.collectGarbage();
    // RSS straight after the collection, as before the watchers: the /metrics answer is garbage that would count too.
    const afterRssKb = rssKb(server.pid);
    const metricsAfter = await scrapeMetrics(server.url, auth.adminToken);
    const after = { rssKb: afterRssKb, heapBytes: metricsAfter.get('nodejs_heap_size_used_bytes') ?? 0 };
    const connections = metricsAfter.get('crisis_connections') ?? null;
    const rssPerConnectionKb = (after.rssKb - before.rssKb) / opts.watchers;
    return {
      bench: 'watchers',
      backend: opts.backend,
      watchers: opts.watchers,
      watcherProcesses: children.length,
      connectionsOnServer: connections,
      connectSeconds: round(connectMs / 1000),
      serverRssMb: { before: round(before.rssKb / 1024), half: round(midRssKb / 1024), after: round(after.rssKb / 1024) },
      rssPerConnectionKb: round(rssPerConnectionKb),
      /** The second half's share alone: without the heap's one-off growth on the first connections. */
      marginalRssPerConnectionKb: secondHalfCount > 0 ? round((after.rssKb - midRssKb) / secondHalfCount) : null,
      /** rssPerConnectionKb as read just before the last full collection, garbage of the handshakes included. */
      rssPerConnectionKbBeforeGc: round((afterWithGarbageKb - before.rssKb) / opts.watchers),
      heapPerConnectionKb: round((after.heapBytes - before.heapBytes) / 1024 / opts.watchers),
      decisions: opts.decisions,
      /** Each watcher's latency for each decision. */
      deliveryMs: summarize(deliveries),
      /** Per decision, until the last watcher had it. */
      timeToAllMs: summarize(toAll),
      /** Per decision, until the first watcher had it: the rest of timeToAll is the broadcast and the watchers' own processing. */
      timeToFirstMs: summarize(toFirst),
      /** The writer's own ack of each decision, with the watchers connected, and before any connected. */
      writerAckMs: summarize(ackWith),
      writerAckMsWithoutWatchers: summarize(ackAlone),
      serverCpuPercentOfOneCoreDuringDecisions: cpuPercent,
      watcherProcessesCpuPercentOfOneCore: round(clientCpuPercent),
      /** CPU time per decision: the server's (commit + 5,000 sends) and the watcher processes' (5,000 receives). */
      serverCpuMsPerDecision,
      watchersCpuMsPerDecision,
      machineCpuPercent: machinePercent,
      targets: { rssPerConnectionKb: 18, deliveryP99Ms: 170 },
    };
  } finally {
    writer?.close();
    for (const c of children) if (c.exitCode === null) c.send({ cmd: 'close' } satisfies WatcherCommand);
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await (cluster ? cluster.stop() : server.stop());
  }
}

/** The watchers, a share per client process. */
function watcherJobs(opts: z.output<typeof WatchersOptionsSchema>, url: string, token: string, doc: string): WatcherJob[] {
  const perProc = Math.ceil(opts.watchers / opts.procs);
  const jobs: WatcherJob[] = [];
  for (let p = 0; p < opts.procs; p++) {
    const count = Math.min(perProc, opts.watchers - p * perProc);
    if (count > 0) jobs.push({ url, token, doc, base: p * perProc, count, concurrency: opts.concurrency });
  }
  return jobs;
}

type Session = Awaited<ReturnType<CrisisClient['openIncident']>>;

/** The writer's ack of each of `decisions` decisions, one at a time, with no watcher connected. */
async function acksWithoutWatchers(session: Session, decisions: number): Promise<number[]> {
  const acks: number[] = [];
  for (let k = 1; k <= decisions; k++) {
    const t0 = nowMs();
    session.recordDecision(benchDecisionInput(k));
    await session.whenAcknowledged();
    acks.push(nowMs() - t0);
    await sleep(PAUSE_BETWEEN_DECISIONS_MS);
  }
  return acks;
}

/**
 * Decisions, one at a time: each is timed until every watcher has it (`arrivals`, filled by the
 * watcher processes, per decision one list of times per process), and until its writer's ack.
 */
async function broadcastDecisions(session: Session, decisions: number, processes: number, arrivals: Map<number, number[][]>, listeners: Set<() => void>) {
  const deliveries: number[] = [];
  const toAll: number[] = [];
  const toFirst: number[] = [];
  const ackWith: number[] = [];
  for (let k = 1; k <= decisions; k++) {
    const t0 = nowMs();
    // Numbered after the ones recorded without watchers, as on the other sides.
    session.recordDecision(benchDecisionInput(decisions + k));
    const acked = session.whenAcknowledged().then(() => ackWith.push(nowMs() - t0));
    await untilTrue(() => (arrivals.get(k)?.length ?? 0) === processes, listeners, 30_000, `decision ${k} reaching every watcher`);
    const times = arrivals.get(k)!.flat();
    for (const t of times) deliveries.push(t - t0);
    toAll.push(Math.max(...times) - t0);
    toFirst.push(Math.min(...times) - t0);
    arrivals.delete(k);
    await acked;
    await sleep(PAUSE_BETWEEN_DECISIONS_MS);
  }
  return { deliveries, toAll, toFirst, ackWith };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
