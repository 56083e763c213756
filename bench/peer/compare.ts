/**
 * The arithmetic of the `peer` and `storm` benches, apart from any process so it can be unit
 * tested: medians over rounds (rounded to 0.01), ratios, and reading a metric out of a bench's JSON by path.
 */

/** The median of the finite values (the mean of the middle two for an even count); null if none. */
export function median(values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** a / b rounded to 0.01; null when either is missing or b is 0 (no ratio to a zero). */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return Math.round((a / b) * 100) / 100;
}

/** The number at a dotted path of a bench result (`fanoutMs.p50`), or null if absent. */
export function pick(result: unknown, path: string): number | null {
  let at: unknown = result;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

export interface Comparison {
  ours: number | null;
  peer: number | null;
  /** ours / peer: below 1 is better for times, sizes and CPU; above 1 for rates. */
  ratio: number | null;
  floor?: number | null;
  /** ours / floor: what this server costs over the bare relay. */
  oursOverFloor?: number | null;
}

/**
 * One comparison per metric: the median over rounds of each side's value at `path` (the same
 * metric may live at different paths on each side), and their ratio.
 */
export function compare(
  metrics: Record<string, { ours: string; peer: string; floor?: string }>,
  rounds: { ours: unknown[]; peer: unknown[]; floor?: unknown[] },
): Record<string, Comparison> {
  const out: Record<string, Comparison> = {};
  const mid = (runs: unknown[], path: string) => {
    const m = median(runs.map((r) => pick(r, path)));
    return m === null ? null : Math.round(m * 100) / 100;
  };
  for (const [name, paths] of Object.entries(metrics)) {
    const ours = mid(rounds.ours, paths.ours);
    const peer = mid(rounds.peer, paths.peer);
    const c: Comparison = { ours, peer, ratio: ratio(ours, peer) };
    if (paths.floor && rounds.floor) {
      c.floor = mid(rounds.floor, paths.floor);
      c.oursOverFloor = ratio(ours, c.floor);
    }
    out[name] = c;
  }
  return out;
}
