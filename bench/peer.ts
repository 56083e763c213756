import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLatencyBench } from './latency';
import { runClusterBench } from './cluster';
import { runWatchersBench } from './watchers';
import { runBigdocBench } from './bigdoc';
import { runFloorBench } from './floor';
import { PeerOptionsSchema, type PeerOptions, type PeerWorkload } from './peer/options';
import { compare, type Comparison } from './peer/compare';
import { checkTargets } from './peer/targets';
import { serialAcks } from './peer/serial';
import { openFilesLimit } from './lib/processStats';
import { hpBigdoc, hpLatency, hpSerial, hpWatchers } from './peer/hpWorkloads';

type Side = 'ours' | 'peer' | 'floor';
type Runner = (o: PeerOptions) => Promise<object>;

const str = (n: number) => String(n);
const latencyFlags = (o: PeerOptions) => ({ clients: str(o.writers), seconds: str(o.seconds), rate: str(o.rate), procs: str(o.procs) });
const watcherFlags = (o: PeerOptions) => ({ watchers: str(o.watchers), decisions: str(o.decisions), procs: str(o.procs) });

/** Each workload on each side; the floor relay only where it has the workload. */
const RUNNERS: Record<PeerWorkload, Partial<Record<Side, Runner>>> = {
  latency: {
    ours: (o) => runLatencyBench(latencyFlags(o)),
    peer: (o) => hpLatency(1, { clients: o.writers, seconds: o.seconds, rate: o.rate, procs: o.procs }),
    floor: (o) => runFloorBench(latencyFlags(o)),
  },
  latency2: {
    ours: (o) => runClusterBench({ ...latencyFlags(o), nodes: '2' }),
    peer: (o) => hpLatency(2, { clients: o.writers, seconds: o.seconds, rate: o.rate, procs: o.procs }),
    floor: (o) => runFloorBench({ ...latencyFlags(o), nodes: '2' }),
  },
  serial: {
    ours: (o) => serialAcks(o.serialSeconds),
    peer: (o) => hpSerial(o.serialSeconds),
    floor: (o) => runFloorBench({ serialSeconds: str(o.serialSeconds) }),
  },
  watchers: {
    ours: (o) => runWatchersBench({ ...watcherFlags(o), settleSeconds: str(o.settleSeconds) }),
    peer: (o) => hpWatchers({ watchers: o.watchers, decisions: o.decisions, procs: o.procs, settleSeconds: o.settleSeconds }),
    floor: (o) => runFloorBench({ ...watcherFlags(o), settleSeconds: str(o.settleSeconds) }),
  },
  bigdoc: {
    ours: (o) => runBigdocBench({ entries: str(o.entries) }),
    peer: async (o) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-peer-bigdoc-'));
      try {
        return await hpBigdoc(o.entries, path.join(dir, 'hocuspocus.sqlite'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
};

/** Where each metric sits in each side's result (`ours` is this server's bench JSON). */
const METRICS: Record<PeerWorkload, Record<string, { ours: string; peer: string; floor?: string }>> = {
  latency: {
    fanoutP50Ms: { ours: 'fanoutMs.p50', peer: 'fanoutMs.p50', floor: 'fanoutMs.p50' },
    fanoutP99Ms: { ours: 'fanoutMs.p99', peer: 'fanoutMs.p99', floor: 'fanoutMs.p99' },
    ackP50Ms: { ours: 'ackMs.p50', peer: 'ackMs.p50', floor: 'ackMs.p50' },
    ackP99Ms: { ours: 'ackMs.p99', peer: 'ackMs.p99', floor: 'ackMs.p99' },
    serverCpuPercentOfOneCore: { ours: 'serverCpuPercentOfOneCore', peer: 'serverCpuPercentOfOneCore' },
  },
  latency2: {
    fanoutP50Ms: { ours: 'runs.0.fanoutAllMs.p50', peer: 'fanoutMs.p50', floor: 'fanoutMs.p50' },
    fanoutP99Ms: { ours: 'runs.0.fanoutAllMs.p99', peer: 'fanoutMs.p99', floor: 'fanoutMs.p99' },
    ackP50Ms: { ours: 'runs.0.ackMs.p50', peer: 'ackMs.p50', floor: 'ackMs.p50' },
    ackP99Ms: { ours: 'runs.0.ackMs.p99', peer: 'ackMs.p99', floor: 'ackMs.p99' },
    node1CpuPercentOfOneCore: { ours: 'runs.0.nodes.0.cpuPercentOfOneCore', peer: 'nodeCpuPercentOfOneCore.0' },
  },
  serial: { acksPerSecond: { ours: 'acksPerSecond', peer: 'acksPerSecond', floor: 'acksPerSecond' }, ackP50Ms: { ours: 'ackP50Ms', peer: 'ackP50Ms', floor: 'ackP50Ms' } },
  watchers: {
    rssPerConnectionKb: { ours: 'rssPerConnectionKb', peer: 'rssPerConnectionKb', floor: 'rssPerConnectionKb' },
    broadcastToAllP50Ms: { ours: 'timeToAllMs.p50', peer: 'timeToAllMs.p50', floor: 'timeToAllMs.p50' },
    broadcastToAllP99Ms: { ours: 'timeToAllMs.p99', peer: 'timeToAllMs.p99', floor: 'timeToAllMs.p99' },
    writerAckP50Ms: { ours: 'writerAckMs.p50', peer: 'writerAckMs.p50' },
    writerAckP50MsWithoutWatchers: { ours: 'writerAckMsWithoutWatchers.p50', peer: 'writerAckMsWithoutWatchers.p50' },
    serverCpuMsPerBroadcast: { ours: 'serverCpuMsPerDecision', peer: 'serverCpuMsPerDecision', floor: 'serverCpuMsPerDecision' },
  },
  bigdoc: {
    fullSyncMs: { ours: 'fullSyncMs', peer: 'fullSyncMs' },
    encodedMb: { ours: 'encodedMb', peer: 'encodedMb' },
  },
};

function hocuspocusVersion(): string {
  // Its package.json is not among its exports: read beside its resolved entry point (dist/).
  const file = path.join(path.dirname(require.resolve('@hocuspocus/server')), '..', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * This server against Hocuspocus (and the floor relay) on the same workloads in one run: round
 * after round, each workload on each side in turn (this server first on odd rounds, Hocuspocus
 * first on even ones), then per metric the median over rounds of each side and their ratio.
 */
export async function runPeerBench(raw: Record<string, string>): Promise<object> {
  const opts = PeerOptionsSchema.parse(raw);
  const version = hocuspocusVersion();
  // Checked before any run, so neither side starts a round it cannot finish (bench/watchers.ts checks its own).
  if (opts.workloads.includes('watchers') && openFilesLimit() < opts.watchers + 200) {
    throw new Error(`BENCH_FD_LIMIT: ${opts.watchers} watchers need ${opts.watchers + 200} open files per server; the limit is ${openFilesLimit()}. Run with \`ulimit -n 65536\`.`);
  }
  const results: Record<string, Record<Side, unknown[]>> = {};
  for (let round = 1; round <= opts.rounds; round++) {
    const order: Side[] = round % 2 === 1 ? ['ours', 'peer', 'floor'] : ['peer', 'ours', 'floor'];
    for (const workload of opts.workloads) {
      const sides = (results[workload] ??= { ours: [], peer: [], floor: [] });
      for (const side of order) {
        const run = RUNNERS[workload][side];
        if (!run || (side === 'floor' && !opts.floor)) continue;
        sides[side].push(await run(opts));
      }
    }
  }
  const comparisons: Record<string, Record<string, Comparison>> = {};
  for (const workload of opts.workloads) {
    const r = results[workload]!;
    comparisons[workload] = compare(METRICS[workload], { ours: r.ours, peer: r.peer, ...(r.floor.length > 0 ? { floor: r.floor } : {}) });
  }
  return {
    bench: 'peer',
    peer: { server: `@hocuspocus/server ${version}`, storage: '@hocuspocus/extension-sqlite (default debounce)', twoNodes: '@hocuspocus/extension-redis', clients: '@hocuspocus/provider' },
    ours: { storage: 'sqlite (1 node), postgres (2 nodes)', twoNodes: 'redis', clients: 'client/sdk' },
    options: opts,
    cores: os.cpus().length,
    /** Per workload and metric: medians over rounds; ratio = ours / peer (below 1 is better, except acksPerSecond). */
    comparisons,
    /** Issue 15's targets for these workloads, checked on this run. */
    targets: checkTargets(comparisons),
    raw: results,
  };
}
