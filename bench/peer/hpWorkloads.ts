/**
 * The `peer` bench's workloads on the Hocuspocus side, in the shapes of this server's benches
 * (latency, serial writer, watchers, bigdoc), so the two sides' figures compare field by field.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { analyse } from '../lib/clientWorkers';
import { requestChild, untilTrue } from '../lib/childRequest';
import { CpuMeter, cpuSeconds, rssKb } from '../lib/processStats';
import { nowMs, summarize } from '../lib/stats';
import type { WorkerReport } from '../lib/clientWorker';
import type { ArrivalReport, WatcherCommand, WatcherJob } from '../lib/watcherWorker';
import { startHocuspocus } from './hpNodes';
import { connectProvider, destroyProvider, type HpWorkerCommand, type HpWorkerJob } from './hpClientWorker';
import { seedLogDoc } from './seedDoc';
import { recordBenchDecision } from '../lib/benchDecision';

const DOCUMENT = 'incident-bench:log';

function forkWorker(file: string, children: ChildProcess[]): ChildProcess {
  const child = fork(path.join(__dirname, file), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CLIENT_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return child;
}

function killAll(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null) c.kill();
}

export interface LatencyShape {
  clients: number;
  seconds: number;
  rate: number;
  procs: number;
}

/** 50 writers × 1/s on 1 or more nodes: fan-out to every other client, the writer's ack, the nodes' CPU. */
export async function hpLatency(nodes: number, shape: LatencyShape): Promise<object> {
  const cluster = await startHocuspocus(nodes);
  const children: ChildProcess[] = [];
  try {
    const urls = cluster.nodes.map((n) => n.url);
    const groups: number[][] = Array.from({ length: Math.min(shape.procs, shape.clients) }, () => []);
    for (let i = 0; i < shape.clients; i++) groups[i % groups.length]!.push(i);
    await Promise.all(
      groups.map((indices) => {
        const job: HpWorkerJob = { urls, document: DOCUMENT, indices, writers: indices.length, seconds: shape.seconds, rate: shape.rate, totalClients: shape.clients };
        return requestChild(forkWorker('hpClientWorker.ts', children), { cmd: 'connect', job } satisfies HpWorkerCommand, 'connected', 'hocuspocus client process');
      }),
    );
    const cpu = cluster.nodes.map((n) => new CpuMeter(n.pid));
    const startAt = nowMs() + 1000;
    const reports = await Promise.all(children.map((c) => requestChild<{ report: WorkerReport }>(c, { cmd: 'run', startAt } satisfies HpWorkerCommand, 'report', 'hocuspocus client process')));
    const cpuPercent = cpu.map((m) => m.percent());
    const result = analyse({ urls, clients: shape.clients }, reports.map((r) => r.report));
    return {
      nodes,
      entries: result.entries,
      fullyDelivered: result.fullyDelivered,
      fanoutMs: result.fanoutAllMs,
      firstEntriesFanoutMs: result.firstEntriesFanoutMs,
      ackMs: result.ackMs,
      serverCpuPercentOfOneCore: Math.round((cpuPercent.reduce((a, b) => a + b, 0) / nodes) * 10) / 10,
      nodeCpuPercentOfOneCore: cpuPercent,
    };
  } finally {
    killAll(children);
    await cluster.stop();
  }
}

/** One client writing serially, each entry after the previous one's ack: acks per second. */
export async function hpSerial(seconds: number): Promise<object> {
  const cluster = await startHocuspocus(1);
  const children: ChildProcess[] = [];
  try {
    const worker = forkWorker('hpClientWorker.ts', children);
    const job: HpWorkerJob = { urls: [cluster.nodes[0]!.url], document: DOCUMENT, indices: [0], writers: 1, seconds, rate: 1, totalClients: 1 };
    await requestChild(worker, { cmd: 'connect', job } satisfies HpWorkerCommand, 'connected', 'hocuspocus serial writer');
    const { serial } = await requestChild<{ serial: { acks: number; seconds: number; ackMs: number[] } }>(worker, { cmd: 'serial', seconds } satisfies HpWorkerCommand, 'serial', 'hocuspocus serial writer');
    return { acks: serial.acks, seconds: Math.round(serial.seconds * 10) / 10, acksPerSecond: Math.round(serial.acks / serial.seconds), ackP50Ms: summarize(serial.ackMs).p50 };
  } finally {
    killAll(children);
    await cluster.stop();
  }
}

export interface WatchersShape {
  watchers: number;
  decisions: number;
  procs: number;
  settleSeconds: number;
}

/**
 * One node, `watchers` read-only connections, one writer recording decisions one at a time:
 * RSS per connection, each decision's time to every watcher, the writer's ack with the watchers
 * and (before they connect) without them.
 */
export async function hpWatchers(shape: WatchersShape): Promise<object> {
  const cluster = await startHocuspocus(1);
  const node = cluster.nodes[0]!;
  const children: ChildProcess[] = [];
  const document = 'incident-bench:decisions';
  const doc = new Y.Doc();
  const writer = await connectProvider(node.url, document, doc);
  let unsynced = 0;
  const ackListeners = new Set<() => void>();
  writer.on('unsyncedChanges', ({ number }: { number: number }) => ((unsynced = number), ackListeners.forEach((l) => l())));
  const decide = async (k: number): Promise<number> => {
    const t0 = nowMs();
    recordBenchDecision(doc, k, 'Directeur 1');
    await untilTrue(() => unsynced === 0, ackListeners, 30_000, `hocuspocus ack of decision ${k}`);
    return nowMs() - t0;
  };
  try {
    const ackAlone: number[] = [];
    for (let k = 1; k <= shape.decisions; k++) {
      ackAlone.push(await decide(k));
      await sleep(250);
    }
    await sleep(shape.settleSeconds * 1000);
    await node.collectGarbage();
    const before = rssKb(node.pid);
    const arrivals = new Map<number, number[][]>();
    const listeners = new Set<() => void>();
    const per = Math.ceil(shape.watchers / shape.procs);
    const connected = [];
    for (let p = 0; p * per < shape.watchers; p++) {
      const child = forkWorker('hpWatcherWorker.ts', children);
      child.on('message', (m: { arrival?: ArrivalReport }) => {
        if (!m.arrival) return;
        arrivals.set(m.arrival.update, [...(arrivals.get(m.arrival.update) ?? []), m.arrival.times]);
        listeners.forEach((l) => l());
      });
      const job: WatcherJob = { url: node.url, token: 'bench', doc: document, base: p * per, count: Math.min(per, shape.watchers - p * per), concurrency: 50 };
      connected.push(requestChild(child, { cmd: 'connect', job } satisfies WatcherCommand, 'connected', 'hocuspocus watcher process'));
    }
    await Promise.all(connected);
    await sleep(shape.settleSeconds * 1000);
    const cpu = new CpuMeter(node.pid);
    const cpuAtStart = cpuSeconds(node.pid);
    const toAll: number[] = [];
    const ackWith: number[] = [];
    for (let k = 1; k <= shape.decisions; k++) {
      const t0 = nowMs();
      const ack = decide(shape.decisions + k);
      await untilTrue(() => (arrivals.get(k)?.length ?? 0) === children.length, listeners, 60_000, `hocuspocus decision ${k} reaching every watcher`);
      ackWith.push(await ack);
      toAll.push(Math.max(...arrivals.get(k)!.flat()) - t0);
      await sleep(250);
    }
    const cpuPercent = cpu.percent();
    const serverCpuMsPerDecision = Math.round(((cpuSeconds(node.pid) - cpuAtStart) * 1e4) / shape.decisions) / 10;
    await sleep(shape.settleSeconds * 1000);
    await node.collectGarbage();
    return {
      watchers: shape.watchers,
      rssPerConnectionKb: Math.round(((rssKb(node.pid) - before) / shape.watchers) * 10) / 10,
      timeToAllMs: summarize(toAll),
      writerAckMs: summarize(ackWith),
      writerAckMsWithoutWatchers: summarize(ackAlone),
      serverCpuPercentOfOneCoreDuringDecisions: cpuPercent,
      serverCpuMsPerDecision,
    };
  } finally {
    destroyProvider(writer);
    for (const c of children) if (c.exitCode === null) c.send({ cmd: 'close' } satisfies WatcherCommand);
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await cluster.stop();
  }
}

/** A new client fully syncing a log of `entries` entries from a freshly started node. */
export async function hpBigdoc(entries: number, databaseFile: string): Promise<object> {
  const seeded = new Y.Doc();
  seedLogDoc(seeded.getArray<string>('log'), entries);
  const state = Y.encodeStateAsUpdate(seeded);
  seeded.destroy();
  const db = new Database(databaseFile);
  db.exec('CREATE TABLE IF NOT EXISTS "documents" ("name" varchar(255) NOT NULL, "data" blob NOT NULL, UNIQUE(name))');
  db.prepare('INSERT INTO "documents" ("name", "data") VALUES (?, ?)').run(DOCUMENT, Buffer.from(state));
  db.close();
  const cluster = await startHocuspocus(1, [databaseFile]);
  try {
    const doc = new Y.Doc();
    const t0 = nowMs();
    const provider = await connectProvider(cluster.nodes[0]!.url, DOCUMENT, doc);
    const syncMs = nowMs() - t0;
    const synced = doc.getArray('log').length;
    destroyProvider(provider);
    return { entries: synced, expectedEntries: entries, fullSyncMs: Math.round(syncMs), encodedMb: Math.round(state.byteLength / 1e5) / 10 };
  } finally {
    await cluster.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
