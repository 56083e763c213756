/** A node's /metrics as a map from `name{labels}` (labels as printed) to value; /metrics is for administrators (BenchAuth.adminToken). */
export async function scrapeMetrics(url: string, adminToken: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
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
