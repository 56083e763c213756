import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { analyse } from './lib/clientWorkers';
import { serviceUrls } from './lib/clusterNodes';
import { freePort, serverNodeFlags } from './lib/serverProcess';
import { io } from 'socket.io-client';
import * as Y from 'yjs';
import { EVENTS } from '../shared/protocol/messages';
import { nowMs, summarize } from './lib/stats';
import { FLOOR_DOC } from './lib/floorDoc';
import { recordBenchDecision } from './lib/benchDecision';
import { updateOf } from './lib/floorUpdate';
import { buildLogEntry } from '../shared/docs/logDoc';
import { cpuSeconds, rssKb } from './lib/processStats';
import type { ArrivalReport, WatcherCommand, WatcherJob } from './lib/watcherWorker';
import { requestChild, untilTrue } from './lib/childRequest';
import type { FloorJob, FloorReport } from './lib/floorClient';

export const RELAY = 'bare socket.io: fsync, ack, broadcast; no Yjs, checks or accounts on the server';

export const FloorOptionsSchema = z
  .object({
    clients: z.coerce.number().int().min(2).max(2000).default(50),
    seconds: z.coerce.number().min(1).max(600).default(30),
    rate: z.coerce.number().min(0.1).max(100).default(1),
    procs: z.coerce.number().int().min(1).max(16).default(4),
    /** 1: one relay, as `latency`; 2 or more: relays joined by Redis pub/sub, as `cluster`. */
    nodes: z.coerce.number().int().min(1).max(8).default(1),
    /** Whether each client applies what it receives to a Y.Doc, as every real client does. */
    ydoc: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** Whether each relay fdatasyncs every update before acknowledging it. */
    fsync: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** With a count: the `watchers` workload instead (read-only connections, one writer, `decisions` updates). */
    watchers: z.coerce.number().int().min(0).max(20_000).default(0),
    decisions: z.coerce.number().int().min(1).max(1_000).default(20),
    /** Watchers: the pause before each memory reading and before the timed decisions, as bench/watchers.ts's. */
    settleSeconds: z.coerce.number().min(0).max(60).default(3),
    /** With a duration: the serial writer instead (one client, each entry sent after the previous one's ack). */
    serialSeconds: z.coerce.number().min(0).max(600).default(0),
  })
  .strict();
type FloorOptions = z.infer<typeof FloorOptionsSchema>;

/**
 * The floor under `latency` and `cluster` on this machine: the same clients, spread over the same
 * processes and writing at the same rate, through relays that do nothing but fsync, acknowledge
 * and broadcast (bench/lib/floorServer.ts). The real server can only be slower; the difference
 * is what the server itself costs, the rest is the machine.
 */
export async function runFloorBench(raw: Record<string, string>): Promise<object> {
  const opts = FloorOptionsSchema.parse(raw);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-floor-'));
  const channel = `floor-${randomBytes(4).toString('hex')}`;
  const relays: ChildProcess[] = [];
  const clients: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (let n = 0; n < opts.nodes; n++) urls.push(await startRelay(relays, n, opts.fsync ? path.join(dir, `journal-${n}`) : null, opts.nodes > 1 ? channel : null));
    if (opts.serialSeconds > 0) return await runFloorSerial(urls[0]!, opts.serialSeconds);
    if (opts.watchers > 0) return await runFloorWatchers(urls[0]!, relays[0]!, opts, clients);
    const per = Math.ceil(opts.clients / opts.procs);
    for (let p = 0; p * per < opts.clients; p++) {
      const child = fork(path.join(__dirname, 'lib/floorClient.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      clients.push(child);
      const job: FloorJob = { urls, base: p * per, count: Math.min(per, opts.clients - p * per), totalClients: opts.clients, seconds: opts.seconds, rate: opts.rate, ydoc: opts.ydoc };
      await requestChild(child, { cmd: 'connect', job }, 'connected', 'floor client process');
    }
    const startAt = nowMs() + 1000;
    const reports = await Promise.all(clients.map((c) => requestChild<{ report: FloorReport }>(c, { cmd: 'run', startAt }, 'report', 'floor client process')));
    const result = analyse({ urls, clients: opts.clients }, reports.map((r) => r.report));
    return {
      bench: 'floor',
      relay: RELAY,
      nodes: opts.nodes,
      clients: opts.clients,
      clientProcesses: clients.length,
      clientsApplyYjs: opts.ydoc,
      fsync: opts.fsync,
      seconds: opts.seconds,
      entries: result.entries,
      fullyDelivered: result.fullyDelivered,
      fanoutMs: result.fanoutAllMs,
      firstEntriesFanoutMs: result.firstEntriesFanoutMs,
      ...(result.firstOtherNodeMs ? { firstOtherNodeMs: result.firstOtherNodeMs } : {}),
      ackMs: result.ackMs,
    };
  } finally {
    for (const c of [...clients, ...relays]) if (c.exitCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts relay `n` and resolves with its URL once it listens (`env`: e.g. the storm's FLOOR_JOIN_*). */
export async function startRelay(relays: ChildProcess[], n: number, journal: string | null, redisChannel: string | null, env: Record<string, string> = {}): Promise<string> {
  const port = await freePort();
  const relay = fork(path.join(__dirname, 'lib/floorServer.ts'), [], {
    execArgv: ['--import', 'tsx', ...serverNodeFlags(), '--expose-gc'],
    env: {
      ...process.env,
      PORT: String(port),
      FLOOR_NODE: String(n),
      ...(journal ? { FLOOR_JOURNAL: journal } : {}),
      ...(redisChannel ? { FLOOR_REDIS_URL: serviceUrls().redisUrl, FLOOR_CHANNEL: redisChannel } : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  relays.push(relay);
  await requestChild(relay, null, 'ready', 'floor relay');
  return `http://127.0.0.1:${port}`;
}

/**
 * The serial writer on the relay: one bare socket sending one Yjs log entry after the previous
 * one's ack, each fdatasync'd before its ack as the real server commits it. What a durable ack
 * costs on this machine with nothing else in the way.
 */
async function runFloorSerial(url: string, seconds: number): Promise<object> {
  const writer = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      writer.once('connect', resolve);
      writer.once('connect_error', reject);
    });
    const doc = new Y.Doc();
    const log = doc.getArray<string>('log');
    const ackMs: number[] = [];
    const started = nowMs();
    const endAt = started + seconds * 1000;
    while (nowMs() < endAt) {
      const t0 = nowMs();
      const update = updateOf(doc, () => log.push([JSON.stringify(buildLogEntry({ text: `Écriture en série ${ackMs.length}`, category: 'information' }, 'Membre 0', new Date()))]));
      await writer.timeout(10_000).emitWithAck(EVENTS.update, { doc: FLOOR_DOC, update });
      ackMs.push(nowMs() - t0);
    }
    const elapsed = (nowMs() - started) / 1000;
    return { bench: 'floor', relay: RELAY, acks: ackMs.length, seconds: Math.round(elapsed * 10) / 10, acksPerSecond: Math.round(ackMs.length / elapsed), ackP50Ms: summarize(ackMs).p50 };
  } finally {
    writer.close();
  }
}

/**
 * The `watchers` workload on the relay: the same watcher processes as bench/watchers.ts (bare
 * sockets that join and only receive), and one writer sending `decisions` updates one after the
 * other; each is timed until every watcher has it.
 */
async function runFloorWatchers(url: string, relay: ChildProcess, shape: Pick<FloorOptions, 'watchers' | 'procs' | 'decisions' | 'settleSeconds'>, children: ChildProcess[]): Promise<object> {
  const { watchers, procs, decisions, settleSeconds } = shape;
  const collectedRssKb = async () => {
    await requestChild(relay, { cmd: 'gc' }, 'collected', 'floor relay');
    return rssKb(relay.pid!);
  };
  const writer = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    writer.once('connect', resolve);
    writer.once('connect_error', reject);
  });
  const doc = new Y.Doc();
  const encode = (k: number): Uint8Array => updateOf(doc, () => recordBenchDecision(doc, k, 'Directeur 1'));
  const deliveries: number[] = [];
  const toAll: number[] = [];
  try {
    // As this server's and Hocuspocus's runs: `decisions` decisions acknowledged with nobody
    // watching, so every path of a broadcast has run, then a settle, before the memory is read.
    for (let k = 1; k <= decisions; k++) {
      await writer.timeout(10_000).emitWithAck(EVENTS.update, { doc: FLOOR_DOC, update: encode(k) });
      await sleep(250);
    }
    await sleep(settleSeconds * 1000);
    const rssBeforeKb = await collectedRssKb();
    const arrivals = new Map<number, number[][]>();
    const listeners = new Set<() => void>();
    const per = Math.ceil(watchers / procs);
    for (let p = 0; p * per < watchers; p++) {
      const child = fork(path.join(__dirname, 'lib/watcherWorker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      child.on('message', (m: { arrival?: ArrivalReport }) => {
        if (!m.arrival) return;
        arrivals.set(m.arrival.update, [...(arrivals.get(m.arrival.update) ?? []), m.arrival.times]);
        for (const l of listeners) l();
      });
      const job: WatcherJob = { url, token: 'floor', doc: FLOOR_DOC, base: p * per, count: Math.min(per, watchers - p * per), concurrency: 50 };
      await requestChild(child, { cmd: 'connect', job } satisfies WatcherCommand, 'connected', 'watcher process');
    }
    await sleep(settleSeconds * 1000);
    const cpuAtStart = cpuSeconds(relay.pid!);
    // Watchers count the updates they receive: the k-th timed decision is their k-th.
    for (let k = 1; k <= decisions; k++) {
      const t0 = nowMs();
      writer.emit(EVENTS.update, { doc: FLOOR_DOC, update: encode(decisions + k) });
      await untilTrue(() => (arrivals.get(k)?.length ?? 0) === children.length, listeners, 30_000, `update ${k} reaching every watcher`);
      const times = arrivals.get(k)!.flat();
      for (const t of times) deliveries.push(t - t0);
      toAll.push(Math.max(...times) - t0);
      await sleep(250);
    }
    // As bench/watchers.ts counts it: the relay's CPU over the decisions (the pauses between them included), per decision.
    const relayCpuMsPerDecision = Math.round(((cpuSeconds(relay.pid!) - cpuAtStart) * 1000 * 10) / decisions) / 10;
    await sleep(settleSeconds * 1000);
    const rssPerConnectionKb = Math.round((((await collectedRssKb()) - rssBeforeKb) / watchers) * 10) / 10;
    return {
      bench: 'floor',
      relay: RELAY,
      watchers,
      rssPerConnectionKb,
      serverCpuMsPerDecision: relayCpuMsPerDecision,
      watcherProcesses: children.length,
      decisions,
      deliveryMs: summarize(deliveries),
      timeToAllMs: summarize(toAll),
    };
  } finally {
    writer.close();
  }
}
