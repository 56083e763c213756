import { ratio, type Comparison } from './compare';

export interface TargetCheck {
  /** What is compared with what, in words. */
  target: string;
  value: number | null;
  /** null when a figure is missing (workload not run, or a zero to divide by). */
  met: boolean | null;
  /** The same figure for the bare floor relay, where it runs the workload: a target it misses too is the machine's, not the server's. */
  floor?: { value: number | null; met: boolean | null };
}

type Comparisons = Record<string, Record<string, Comparison> | undefined>;

/**
 * Issue 15's "done when" for the workloads of `peer`, read from one run's comparisons (medians
 * over rounds): ratios to Hocuspocus, never absolute times.
 */
export function checkTargets(c: Comparisons): Record<string, TargetCheck> {
  const at = (w: string, m: string) => c[w]?.[m];
  const judge = (value: number | null | undefined, limit: number, atLeast: boolean) => (value === null || value === undefined ? null : atLeast ? value >= limit : value <= limit);
  /** A ratio to Hocuspocus against its limit, for this server and, where it ran, the floor relay. */
  const versus = (target: string, comparison: Comparison | undefined, limit: number, atLeast = false): TargetCheck => {
    const out: TargetCheck = { target, value: comparison?.ratio ?? null, met: judge(comparison?.ratio, limit, atLeast) };
    if (comparison?.floor !== undefined) {
      const floorRatio = ratio(comparison.floor, comparison.peer);
      out.floor = { value: floorRatio, met: judge(floorRatio, limit, atLeast) };
    }
    return out;
  };
  const atMost = (target: string, value: number | null | undefined, limit: number): TargetCheck => ({ target, value: value ?? null, met: judge(value, limit, false) });
  const overPeer = (side: number | null | undefined, peer: number | null) => (side === null || side === undefined || peer === null ? null : Math.round((side - peer) * 100) / 100);
  const out: Record<string, TargetCheck> = {};
  for (const w of ['latency', 'latency2']) {
    if (!c[w]) continue;
    out[`${w}.fanoutP50`] = versus('fan-out p50 ≤ 1.0× Hocuspocus', at(w, 'fanoutP50Ms'), 1);
    out[`${w}.fanoutP99`] = versus('fan-out p99 ≤ 1.0× Hocuspocus', at(w, 'fanoutP99Ms'), 1);
  }
  const ack = at('latency', 'ackP50Ms');
  if (ack) {
    const check = atMost("writer's ack p50 − Hocuspocus's ≤ 1 ms", overPeer(ack.ours, ack.peer), 1);
    if (ack.floor !== undefined) check.floor = { value: overPeer(ack.floor, ack.peer), met: judge(overPeer(ack.floor, ack.peer), 1, false) };
    out['latency.ackP50'] = check;
  }
  const serial = at('serial', 'acksPerSecond');
  if (serial) out['serial.acksPerSecond'] = versus('serial acks per second ≥ 1.0× Hocuspocus', serial, 1, true);
  const withW = at('watchers', 'writerAckP50Ms');
  const without = at('watchers', 'writerAckP50MsWithoutWatchers');
  if (withW && without) {
    const own = withW.ours !== null && without.ours !== null && without.ours > 0 ? Math.round((withW.ours / without.ours) * 100) / 100 : null;
    out['watchers.writerAck'] = atMost("writer's ack p50 with watchers ≤ 2× without (this server)", own, 2);
  }
  if (c.watchers) {
    out['watchers.rssPerConnection'] = versus('RSS per connection ≤ 1.0× Hocuspocus', at('watchers', 'rssPerConnectionKb'), 1);
    out['watchers.cpuPerBroadcast'] = versus('server CPU per broadcast ≤ 1.0× Hocuspocus', at('watchers', 'serverCpuMsPerBroadcast'), 1);
  }
  if (c.bigdoc) out['bigdoc.fullSync'] = versus('cold full sync ≤ 0.5× Hocuspocus', at('bigdoc', 'fullSyncMs'), 0.5);
  return out;
}
