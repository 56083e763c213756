import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { spawnServer } from './lib/serverProcess';
import { memoryMb } from './lib/processStats';
import { seedIncident } from './lib/seedLog';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { BenchAuth } from './lib/auth';
import { CrisisClient } from '../client/sdk/crisisClient';
import { requestChild } from './lib/childRequest';
import { nowMs, summarize } from './lib/stats';
import { median, ratio } from './peer/compare';
import type { StormJob, StormReport } from './lib/stormWorker';
import { docName } from '../shared/model/parts';
import { RELAY, startRelay } from './floor';

export const StormOptionsSchema = z
  .object({
    /** Joiners arriving at the same moment. */
    clients: z.coerce.number().int().min(2).max(5_000).default(20),
    entries: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
    /** Processes holding the joiners. */
    procs: z.coerce.number().int().min(1).max(16).default(2),
    /** Pairs of runs (one joiner, then the storm), each on a freshly started server. */
    rounds: z.coerce.number().int().min(1).max(10).default(1),
    /**
     * A client writes one entry on each fresh server before its joiners arrive: the log is then
     * live in memory (materialised, as on an incident being written), and each join is answered
     * from the document rather than from the stored snapshot.
     */
    written: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    /**
     * What the joiners accept: `deflate-raw` (as the web client does), `none` (plain bytes, as
     * the Node SDK by default and older clients), or `both`: each round runs the two in turn on fresh servers, one result per mode.
     */
    accept: z.enum(['deflate-raw', 'none', 'both']).default('deflate-raw'),
    /**
     * Also run the same waves against the floor relay (bench/lib/floorServer.ts), which answers
     * the log's join with its stored bytes and nothing else: what the machine gives 150 joiners
     * of that many bytes, whatever the server. Plain bytes only.
     */
    floor: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  })
  .strict();

/** Targets of issue 15, as ratios of the storm to one joiner alone in the same run. */
const TARGETS = { timeToAllLive: 3, peakRss: 1.5 };

interface Wave {
  joiners: number;
  /** Until the last joiner was live. */
  allLiveMs: number;
  liveMs: ReturnType<typeof summarize>;
  receivedMbPerJoiner: number;
  serverRssMbBefore: number;
  /** Highest RSS sampled (every 20 ms) from the moment the joiners start until the last is live. */
  serverPeakRssMb: number;
  /** That peak over the RSS before the wave: what the joins themselves cost. */
  serverPeakGrowthMb: number;
  /** The process's own peak (VmHWM) since it started, its start included. */
  serverVmHwmMb: number;
}

/**
 * A join storm: `clients` clients with nothing cached join an incident of `entries` log entries
 * at the same moment (a shift change, a reconnect after a network cut), against one joiner
 * alone, each on a freshly started server over the same database (so each server's memory is
 * its own): time until every joiner is live, and the server's peak RSS during the joins.
 */
export async function runStormBench(raw: Record<string, string>): Promise<object> {
  const opts = StormOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-storm-'));
  try {
    const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
    const incidentId = await seedIncident(store, opts.entries);
    await store.close();
    // One member account that every joiner uses (the server allows many sockets per account).
    const token = await withServer(dataDir, false, '', incidentId, async (url) => {
      const auth = await BenchAuth.login(url);
      const joiner = await auth.createUser('Équipe de relève');
      await auth.setRole(incidentId, joiner.id, 'member');
      return joiner.token;
    });
    const modes = opts.accept === 'both' ? (['none', 'deflate-raw'] as const) : [opts.accept];
    const waves = new Map(modes.map((m) => [m, { one: [] as Wave[], storm: [] as Wave[] }]));
    const floorWaves = opts.floor ? { env: await floorJoinFiles(dataDir, incidentId), one: [] as Wave[], storm: [] as Wave[] } : null;
    const ours = (written: boolean) => (task: TargetTask<Wave>) => withServer(dataDir, written, token, incidentId, task);
    for (let round = 0; round < opts.rounds; round++) {
      for (const mode of modes) {
        const deflate = mode === 'deflate-raw';
        waves.get(mode)!.one.push(await wave(ours(opts.written), incidentId, token, { joiners: 1, procs: 1, deflate }));
        waves.get(mode)!.storm.push(await wave(ours(opts.written), incidentId, token, { joiners: opts.clients, procs: opts.procs, deflate }));
      }
      if (floorWaves) {
        const relay = (task: TargetTask<Wave>) => withRelay(floorWaves.env, task);
        floorWaves.one.push(await wave(relay, incidentId, 'floor', { joiners: 1, procs: 1, deflate: false }));
        floorWaves.storm.push(await wave(relay, incidentId, 'floor', { joiners: opts.clients, procs: opts.procs, deflate: false }));
      }
    }
    const results = Object.fromEntries([...waves].map(([mode, { one, storm }]) => [mode, stormResult(one, storm)]));
    const head = { bench: 'storm', entries: opts.entries, joiners: opts.clients, joinerProcesses: opts.procs, rounds: opts.rounds, written: opts.written, accept: opts.accept, targets: TARGETS };
    const floor = floorWaves ? { floor: { relay: `${RELAY}; joins answered with the log's stored bytes`, ...stormResult(floorWaves.one, floorWaves.storm) } } : {};
    return opts.accept === 'both' ? { ...head, modes: results, ...floor } : { ...head, ...results[opts.accept], ...floor };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One mode's waves: both sides of each ratio, the ratios (medians over rounds) and whether the targets are met. */
function stormResult(one: Wave[], storm: Wave[]): object {
  const mid = (waves: Wave[], key: 'allLiveMs' | 'serverPeakRssMb' | 'serverPeakGrowthMb') => median(waves.map((w) => w[key]));
  const timeRatio = ratio(mid(storm, 'allLiveMs'), mid(one, 'allLiveMs'));
  const rssRatio = ratio(mid(storm, 'serverPeakRssMb'), mid(one, 'serverPeakRssMb'));
  return {
    one,
    storm,
    /** Storm over one joiner (medians over rounds): the targets are ratios, never absolute times. */
    ratios: { timeToAllLive: timeRatio, serverPeakRss: rssRatio, serverPeakGrowth: ratio(mid(storm, 'serverPeakGrowthMb'), mid(one, 'serverPeakGrowthMb')) },
    met: { timeToAllLive: timeRatio !== null && timeRatio <= TARGETS.timeToAllLive, serverPeakRss: rssRatio !== null && rssRatio <= TARGETS.peakRss },
  };
}

type TargetTask<T> = (url: string, pid: number) => Promise<T>;

/** A fresh server on the bench's database; `written`: one entry written first, so the log is live in memory. */
async function withServer<T>(dataDir: string, written: boolean, token: string, incidentId: string, task: TargetTask<T>): Promise<T> {
  const server = await spawnServer({ DATA_DIR: dataDir });
  try {
    if (written) await writeOne(server.url, token, incidentId);
    return await task(server.url, server.pid);
  } finally {
    await server.stop();
  }
}

/** A fresh floor relay answering the log's join with the stored bytes. */
async function withRelay<T>(env: Record<string, string>, task: TargetTask<T>): Promise<T> {
  const relays: ChildProcess[] = [];
  try {
    const url = await startRelay(relays, 0, null, null, env);
    return await task(url, relays[0]!.pid!);
  } finally {
    for (const r of relays) if (r.exitCode === null) r.kill();
  }
}

/** The log's stored snapshot (the seed writes one), in files for the relay: what a cold room answers a joiner with nothing. */
async function floorJoinFiles(dataDir: string, incidentId: string): Promise<Record<string, string>> {
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  try {
    const name = docName(incidentId, 'log');
    const stored = await store.load(name);
    if (!stored.snapshot) throw new Error('storm: the seeded log has no snapshot');
    const state = path.join(dataDir, 'floor-log-state.bin');
    const vector = path.join(dataDir, 'floor-log-state-vector.bin');
    fs.writeFileSync(state, stored.snapshot.update);
    fs.writeFileSync(vector, stored.snapshot.stateVector);
    return { FLOOR_JOIN_DOC: name, FLOOR_JOIN_STATE: state, FLOOR_JOIN_STATE_VECTOR: vector };
  } finally {
    await store.close();
  }
}

/** One entry written and acknowledged, then the writer leaves: the log is materialised on the server. */
async function writeOne(url: string, token: string, incidentId: string): Promise<void> {
  const client = new CrisisClient({ url, name: 'Équipe de relève', token });
  try {
    const session = await client.openIncident(incidentId);
    await session.whenSynced();
    session.appendLog({ text: 'Relève : prise de poste', category: 'information' });
    await session.whenAcknowledged();
  } finally {
    client.close();
  }
}

/** `joiners` joiners spread over `procs` processes, all starting at the same moment, on a fresh server (or relay). */
function wave(target: (task: TargetTask<Wave>) => Promise<Wave>, incidentId: string, token: string, { joiners, procs, deflate }: { joiners: number; procs: number; deflate: boolean }): Promise<Wave> {
  return target(async (url, pid) => {
    const before = memoryMb(pid).rssMb;
    const children: ChildProcess[] = [];
    try {
      const per = Math.ceil(joiners / procs);
      // Every process is up before the moment is set, so no joiner starts late.
      const ready: Array<Promise<unknown>> = [];
      for (let p = 0; p * per < joiners; p++) {
        const child = fork(path.join(__dirname, 'lib/stormWorker.ts'), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_CLIENT_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.push(child);
        ready.push(requestChild(child, null, 'ready', 'storm joiners process'));
      }
      await Promise.all(ready);
      const startAt = nowMs() + 200;
      let peak = memoryMb(pid).rssMb;
      const sampler = setInterval(() => (peak = Math.max(peak, memoryMb(pid).rssMb)), 20);
      const reports = children.map((child, p) => {
        const job: StormJob = { url, token, incidentId, count: Math.min(per, joiners - p * per), startAt, deflate };
        return requestChild<{ report: StormReport }>(child, job, 'report', 'storm joiners process');
      });
      const done = (await Promise.all(reports).finally(() => clearInterval(sampler))).map((r) => r.report);
      peak = Math.max(peak, memoryMb(pid).rssMb);
      const liveMs = done.flatMap((r) => r.liveMs);
      const bytes = done.reduce((n, r) => n + r.bytes, 0);
      return {
        joiners,
        allLiveMs: Math.round(Math.max(...liveMs)),
        liveMs: summarize(liveMs),
        receivedMbPerJoiner: Math.round(bytes / joiners / 1e5) / 10,
        serverRssMbBefore: before,
        serverPeakRssMb: peak,
        serverPeakGrowthMb: Math.round((peak - before) * 10) / 10,
        serverVmHwmMb: memoryMb(pid).peakRssMb,
      };
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill();
    }
  });
}
