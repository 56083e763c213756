import type { Comparison } from './compare';

export interface TargetCheck {
  /** What is compared with what, in words. */
  target: string;
  value: number | null;
  /** null when a figure is missing (workload not run, or a zero to divide by). */
  met: boolean | null;
}

type Comparisons = Record<string, Record<string, Comparison> | undefined>;

/**
 * Issue 15's "done when" for the workloads of `peer`, read from one run's comparisons (medians
 * over rounds): ratios to Hocuspocus, never absolute times.
 */
export function checkTargets(c: Comparisons): Record<string, TargetCheck> {
  const at = (w: string, m: string) => c[w]?.[m];
  const atMost = (target: string, value: number | null | undefined, limit: number): TargetCheck => ({ target, value: value ?? null, met: value === null || value === undefined ? null : value <= limit });
  const out: Record<string, TargetCheck> = {};
  for (const w of ['latency', 'latency2']) {
    if (!c[w]) continue;
    out[`${w}.fanoutP50`] = atMost('fan-out p50 ≤ 1.0× Hocuspocus', at(w, 'fanoutP50Ms')?.ratio, 1);
    out[`${w}.fanoutP99`] = atMost('fan-out p99 ≤ 1.0× Hocuspocus', at(w, 'fanoutP99Ms')?.ratio, 1);
  }
  const ack = at('latency', 'ackP50Ms');
  if (ack) out['latency.ackP50'] = atMost("writer's ack p50 − Hocuspocus's ≤ 1 ms", ack.ours !== null && ack.peer !== null ? Math.round((ack.ours - ack.peer) * 100) / 100 : null, 1);
  const serial = at('serial', 'acksPerSecond');
  if (serial) out['serial.acksPerSecond'] = { target: 'serial acks per second ≥ 1.0× Hocuspocus', value: serial.ratio, met: serial.ratio === null ? null : serial.ratio >= 1 };
  const withW = at('watchers', 'writerAckP50Ms');
  const without = at('watchers', 'writerAckP50MsWithoutWatchers');
  if (withW && without) {
    const own = withW.ours !== null && without.ours !== null && without.ours > 0 ? Math.round((withW.ours / without.ours) * 100) / 100 : null;
    out['watchers.writerAck'] = atMost("writer's ack p50 with watchers ≤ 2× without (this server)", own, 2);
  }
  if (c.watchers) {
    out['watchers.rssPerConnection'] = atMost('RSS per connection ≤ 1.0× Hocuspocus', at('watchers', 'rssPerConnectionKb')?.ratio, 1);
    out['watchers.cpuPerBroadcast'] = atMost('server CPU per broadcast ≤ 1.0× Hocuspocus', at('watchers', 'serverCpuMsPerBroadcast')?.ratio, 1);
  }
  if (c.bigdoc) out['bigdoc.fullSync'] = atMost('cold full sync ≤ 0.5× Hocuspocus', at('bigdoc', 'fullSyncMs')?.ratio, 0.5);
  return out;
}
