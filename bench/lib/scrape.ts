/** A node's /metrics as a map from `name{labels}` (labels as printed) to value; /metrics is for administrators (BenchAuth.adminToken). */
export async function scrapeMetrics(url: string, adminToken: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  return parseMetrics(await res.text());
}

/** Prometheus text exposition as a map from `name{labels}` to value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** Mean of a prom-client histogram between two scrapes, in ms. */
export function histogramMeanMs(before: Map<string, number>, after: Map<string, number>, name: string): number | null {
  const count = (after.get(`${name}_count`) ?? 0) - (before.get(`${name}_count`) ?? 0);
  const sum = (after.get(`${name}_sum`) ?? 0) - (before.get(`${name}_sum`) ?? 0);
  return count > 0 ? Math.round((sum / count) * 1000 * 100) / 100 : null;
}

/**
 * Mean time of each stage of a client update between two scrapes, in ms (server/metrics.ts,
 * `crisis_update_stage_seconds{stage}`: each stage from the one before it; `sinceReceived`: from
 * receiving the update). Stages that saw no update are left out.
 */
export function updateStageMeansMs(before: Map<string, number>, after: Map<string, number>): { step: Record<string, number>; sinceReceived: Record<string, number> } {
  const means = (name: string) => {
    const out: Record<string, number> = {};
    for (const key of after.keys()) {
      const m = new RegExp(`^${name}_count\\{stage="(\\w+)"\\}$`).exec(key);
      if (!m) continue;
      const stage = m[1]!;
      const count = (after.get(key) ?? 0) - (before.get(key) ?? 0);
      const sumKey = `${name}_sum{stage="${stage}"}`;
      const sum = (after.get(sumKey) ?? 0) - (before.get(sumKey) ?? 0);
      if (count > 0) out[stage] = Math.round((sum / count) * 1000 * 1000) / 1000;
    }
    return out;
  };
  return { step: means('crisis_update_stage_seconds'), sinceReceived: means('crisis_update_since_received_seconds') };
}

/**
 * The server's own tail: of the client updates between two scrapes, the share (%) whose
 * `stage` came later than each bucket bound after receiving it (`crisis_update_since_received_seconds`).
 * A fan-out p99 far above the bound that 1 % of updates pass is spent outside the server's handler.
 */
export function stageSharesOverMs(before: Map<string, number>, after: Map<string, number>, stage: string): Record<string, number> | null {
  const name = 'crisis_update_since_received_seconds';
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  const count = delta(`${name}_count{stage="${stage}"}`);
  if (count <= 0) return null;
  const out: Record<string, number> = {};
  const bucket = new RegExp(`^${name}_bucket\\{le="([0-9.e+-]+)",stage="${stage}"\\}$`);
  for (const key of after.keys()) {
    const m = bucket.exec(key);
    if (!m) continue;
    const ms = Number(m[1]) * 1000;
    if (ms < 1) continue;
    out[`over${ms}ms`] = Math.round(((count - delta(key)) / count) * 1000) / 10;
  }
  return out;
}
