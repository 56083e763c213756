import { ZodError } from 'zod';
import { BenchFlagError, parseFlags } from '../../bench/lib/flags';
import { PeerOptionsSchema } from '../../bench/peer/options';
import { compare, median, pick, ratio } from '../../bench/peer/compare';
import { checkTargets } from '../../bench/peer/targets';
import { StormOptionsSchema } from '../../bench/storm';
import { StallOptionsSchema } from '../../bench/stall';
import { LatencyOptionsSchema } from '../../bench/latency';
import { seedIncident } from '../../bench/lib/seedLog';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { docName } from '../../shared/model/parts';
import { parseMetrics, stageSharesOverMs } from '../../bench/lib/scrape';
import { createMetrics } from '../../server/metrics';
import { GcTrace } from '../../bench/lib/gcTrace';
import * as Y from 'yjs';
import { benchDecisionInput, recordBenchDecision } from '../../bench/lib/benchDecision';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { analyse } from '../../bench/lib/clientWorkers';

test('flags are read as --name value and --name=value; anything else is BENCH_BAD_FLAG', () => {
  expect(parseFlags(['--writers', '50', '--rounds=3'])).toEqual({ writers: '50', rounds: '3' });
  expect(() => parseFlags(['writers', '50'])).toThrow(BenchFlagError);
  let caught: unknown = null;
  try {
    parseFlags(['50']);
  } catch (err) {
    caught = err;
  }
  expect((caught as Error | null)?.name).toBe('BENCH_BAD_FLAG');
});

test('peer options: small defaults, the issue shape, and refusals of bad values', () => {
  const quick = PeerOptionsSchema.parse({});
  expect(quick).toMatchObject({ writers: 10, rounds: 2, watchers: 200, entries: 5_000, floor: true });
  expect(quick.workloads).toEqual(['latency', 'latency2', 'serial', 'watchers', 'bigdoc']);
  const full = PeerOptionsSchema.parse(parseFlags(['--writers', '50', '--seconds', '20', '--watchers', '5000', '--entries', '100000', '--rounds', '3', '--workloads', 'bigdoc,latency', '--floor', 'false']));
  expect(full).toMatchObject({ writers: 50, seconds: 20, watchers: 5000, entries: 100_000, rounds: 3, workloads: ['bigdoc', 'latency'], floor: false });
  for (const bad of [{ writers: '1' }, { rounds: 'three' }, { watchers: '-5' }, { workloads: 'latency,fast' }, { floor: 'yes' }, { colour: 'blue' }]) {
    expect(() => PeerOptionsSchema.parse(bad)).toThrow(ZodError);
  }
});

test('storm options: defaults and refusals', () => {
  expect(StormOptionsSchema.parse({})).toEqual({ clients: 20, entries: 5_000, procs: 2, rounds: 1, written: false, accept: 'deflate-raw', floor: true });
  expect(StormOptionsSchema.parse({ floor: 'false' })).toMatchObject({ floor: false });
  expect(() => StormOptionsSchema.parse({ floor: 'yes' })).toThrow(ZodError);
  expect(StormOptionsSchema.parse({ clients: '150', entries: '100000' })).toMatchObject({ clients: 150, entries: 100_000 });
  expect(() => StormOptionsSchema.parse({ clients: '1' })).toThrow(ZodError);
  expect(() => StormOptionsSchema.parse({ joiners: '150' })).toThrow(ZodError);
});

test('latency options: a log written before the run by many copies, and refusals', () => {
  expect(LatencyOptionsSchema.parse({})).toMatchObject({ clients: 50, priorEntries: 0, priorWriters: 50 });
  expect(LatencyOptionsSchema.parse(parseFlags(['--priorEntries', '5000', '--priorWriters', '5000']))).toMatchObject({ priorEntries: 5_000, priorWriters: 5_000 });
  for (const bad of [{ priorEntries: '100', priorWriters: '101' }, { priorEntries: '-1' }, { priorWriters: '0' }, { priorWriters: 'many' }]) {
    expect(() => LatencyOptionsSchema.parse(bad)).toThrow(ZodError);
  }
});

test('a seeded log carries one Yjs client id per prior writer, as that many page loads would leave', async () => {
  const store = new MemoryStore();
  for (const writers of [3, 40]) {
    const incidentId = await seedIncident(store, 40, writers);
    const { snapshot } = await store.load(docName(incidentId, 'log'));
    expect(Y.decodeStateVector(snapshot!.stateVector).size).toBe(writers);
  }
});

test('stall options: defaults and refusals', () => {
  expect(StallOptionsSchema.parse({})).toEqual({ entries: 100_000, perRecord: 2 });
  expect(StallOptionsSchema.parse(parseFlags(['--entries', '20000', '--perRecord=1']))).toEqual({ entries: 20_000, perRecord: 1 });
  for (const bad of [{ entries: '10' }, { entries: 'many' }, { perRecord: '0' }, { records: '5' }]) expect(() => StallOptionsSchema.parse(bad)).toThrow(ZodError);
});

test('median, ratio and pick', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([null, undefined, Number.NaN])).toBeNull();
  expect(median([5, null])).toBe(5);
  expect(ratio(6.5, 4)).toBe(1.63);
  expect(ratio(1, 0)).toBeNull();
  expect(ratio(null, 2)).toBeNull();
  expect(pick({ runs: [{ fanoutAllMs: { p50: 7 } }] }, 'runs.0.fanoutAllMs.p50')).toBe(7);
  expect(pick({ a: { b: 'x' } }, 'a.b')).toBeNull();
  expect(pick({ a: 1 }, 'a.b.c')).toBeNull();
});

test('compare takes the median of each side over rounds, then ours / peer and ours / floor', () => {
  const c = compare(
    { p50: { ours: 'fanoutMs.p50', peer: 'fan.p50', floor: 'fanoutMs.p50' } },
    {
      ours: [{ fanoutMs: { p50: 10 } }, { fanoutMs: { p50: 6 } }, { fanoutMs: { p50: 8 } }],
      peer: [{ fan: { p50: 4 } }, { fan: { p50: 4 } }, { fan: { p50: 5 } }],
      floor: [{ fanoutMs: { p50: 2 } }],
    },
  );
  expect(c.p50).toEqual({ ours: 8, peer: 4, ratio: 2, floor: 2, oursOverFloor: 4 });
  const rounded = compare({ p50: { ours: 'a', peer: 'a' } }, { ours: [{ a: 2.111 }, { a: 2.113 }], peer: [{ a: 1 }, { a: 1.002 }] });
  expect(rounded.p50).toEqual({ ours: 2.11, peer: 1, ratio: 2.11 });
});

test('targets: met, missed, and unknown when a figure is missing', () => {
  const t = checkTargets({
    latency: {
      fanoutP50Ms: { ours: 4, peer: 5, ratio: 0.8 },
      fanoutP99Ms: { ours: 12, peer: 10, ratio: 1.2 },
      ackP50Ms: { ours: 2.5, peer: 2, ratio: 1.25 },
    },
    serial: { acksPerSecond: { ours: 700, peer: 610, ratio: 1.15 } },
    watchers: {
      writerAckP50Ms: { ours: 9, peer: 2, ratio: 4.5 },
      writerAckP50MsWithoutWatchers: { ours: 3, peer: 2, ratio: 1.5 },
      rssPerConnectionKb: { ours: 15, peer: 17, ratio: 0.88 },
      serverCpuMsPerBroadcast: { ours: 10, peer: 0, ratio: null },
    },
    bigdoc: { fullSyncMs: { ours: 800, peer: 1800, ratio: 0.44 } },
  });
  expect(t['latency.fanoutP50']!.met).toBe(true);
  expect(t['latency.fanoutP99']!.met).toBe(false);
  expect(t['latency.ackP50']).toMatchObject({ value: 0.5, met: true });
  expect(t['serial.acksPerSecond']!.met).toBe(true);
  expect(t['watchers.writerAck']).toMatchObject({ value: 3, met: false });
  expect(t['watchers.rssPerConnection']!.met).toBe(true);
  expect(t['watchers.cpuPerBroadcast']!.met).toBeNull();
  expect(t['bigdoc.fullSync']!.met).toBe(true);
  expect(t['latency2.fanoutP50']).toBeUndefined();
});

test("targets: the floor relay's figure beside this server's, judged against the same limit", () => {
  const t = checkTargets({
    latency: {
      fanoutP99Ms: { ours: 12, peer: 10, ratio: 1.2, floor: 8, oursOverFloor: 1.5 },
      ackP50Ms: { ours: 4, peer: 1.5, ratio: 2.67, floor: 2.6, oursOverFloor: 1.54 },
    },
    serial: { acksPerSecond: { ours: 500, peer: 2000, ratio: 0.25, floor: 1000, oursOverFloor: 0.5 } },
    watchers: { rssPerConnectionKb: { ours: 14, peer: 10, ratio: 1.4 } },
  });
  expect(t['latency.fanoutP99']).toMatchObject({ value: 1.2, met: false, floor: { value: 0.8, met: true } });
  expect(t['latency.ackP50']).toMatchObject({ value: 2.5, met: false, floor: { value: 1.1, met: false } });
  expect(t['serial.acksPerSecond']).toMatchObject({ value: 0.25, met: false, floor: { value: 0.5, met: false } });
  expect(t['watchers.rssPerConnection']!.floor).toBeUndefined();
});

test("the server's own tail: the share of updates broadcast later than each bound, between two scrapes", async () => {
  const metrics = createMetrics({ connections: () => 0, documents: () => 0 });
  metrics.stages.observe('broadcast', 0.001, 0.5); // before the first scrape: not counted
  const before = parseMetrics(await metrics.registry.metrics());
  for (const seconds of [0.0015, 0.003, 0.003, 0.007, 0.012, 0.03, 0.003, 0.004, 0.0009, 0.06]) metrics.stages.observe('broadcast', 0.0001, seconds);
  metrics.stages.observe('acked', 0.0001, 0.2); // another stage: not counted
  const after = parseMetrics(await metrics.registry.metrics());
  expect(stageSharesOverMs(before, after, 'broadcast')).toEqual({ over1ms: 90, over2ms: 80, over5ms: 40, over10ms: 30, over25ms: 20, over50ms: 10, over100ms: 0, over500ms: 0 });
  expect(stageSharesOverMs(before, before, 'broadcast')).toBeNull();
});

test("the GC share counts the server's main isolate only: a worker thread's pauses do not hold its event loop", () => {
  const trace = new GcTrace();
  trace.onStdout(Buffer.from('[41:0x5a1]      100 ms: Scavenge 3.8 (4.0) -> 3.4 (5.0) MB, 2.00 / 0.00 ms  (average mu = 1.000) allocation failure;\n[41:0x7f2]      150 ms: Scavenge 9.1 (9.0) -> 8.4 (9.0) MB, 30.00 / 0.00 ms  allocation failure;\n'));
  trace.onStdout(Buffer.from('{"level":30,"msg":"listening"}\n[41:0x5a1]      300 ms: Mark-Compact 20.1 (22.0) -> 12.0 (20.0) MB, 8.00 / 0.00 ms  (average mu = 0.9) finalize;\n[41:0x7f'));
  trace.onStdout(Buffer.from('2]      320 ms: Mark-Compact 40.0 (42.0) -> 30.0 (40.0) MB, 50.00 / 0.00 ms  finalize;\n'));
  expect(trace.summary(0, 1_000)).toEqual({ collections: 2, scavenges: 1, pauseMs: 10, sharePercent: 1 });
});

test('every side of the watchers workload records the product\'s decision, not a flat string', () => {
  const doc = new Y.Doc();
  const sizes: number[] = [];
  doc.on('update', (u: Uint8Array) => sizes.push(u.byteLength));
  recordBenchDecision(doc, 7, 'Directeur 1');
  const [decision] = new DecisionsDoc(doc).list();
  expect(decision).toMatchObject({ title: benchDecisionInput(7).title, statement: benchDecisionInput(7).statement, status: 'approved', decidedBy: 'Directeur 1' });
  // One update, the size of what this server's SDK sends for it (a flat JSON string is about 180 bytes).
  expect(sizes).toHaveLength(1);
  expect(sizes[0]).toBeGreaterThan(400);
});

test("the fleet's analysis tells each writer's first entry apart, whatever order the client processes report in", () => {
  // Three clients: 0 and 1 write, each entry reaches the two others; process B reports first.
  const arrivals = (id: string, t: number) => ({ [id]: [[t, 2] as [number, number], [t, 5] as [number, number]] });
  const entry = (id: string, t0: number, writer: number) => ({ id, t0, ackMs: 1, writer });
  const processB = { sent: [entry('b2', 300, 1), entry('b1', 150, 1)], arrivals: { ...arrivals('b2', 302), ...arrivals('b1', 170) } };
  const processA = { sent: [entry('a1', 100, 0), entry('a2', 200, 0)], arrivals: { ...arrivals('a1', 140), ...arrivals('a2', 203) } };
  const result = analyse({ urls: ['u'], clients: 3 }, [processB, processA]);
  expect(result.fanoutAllMs).toMatchObject({ n: 4, max: 40 });
  expect(result.firstEntriesFanoutMs).toMatchObject({ n: 2, p50: 20, max: 40 });
});
