import client from 'prom-client';

export interface CountedHistogramConfig<V extends string> {
  name: string;
  help: string;
  /** The one label, and every value it takes, fixed up front. */
  label: string;
  values: readonly V[];
  /** Upper bounds, ascending (Prometheus `le`: a value equal to a bound counts in it). */
  buckets: readonly number[];
  registry: client.Registry;
}

// `exemplar: null` on buckets, as prom-client's histograms give it without exemplars.
type ExportedValue = Omit<client.MetricValueWithName<string>, 'exemplar'> & { sharedLabels?: client.LabelValues<string>; exemplar?: null };

/**
 * A Prometheus histogram for the hot path, with one label whose values are known up front. An
 * observation is a bucket search and two additions in typed arrays. prom-client's own `observe`
 * builds a label object, hashes it, and reaches its bucket through the bound printed as a string,
 * on every call: at 14 observations per client update (server/documents/updateStages.ts) that was
 * 6 % of a flooded node's CPU (docs/PERFORMANCE.md). It exports the series a prom-client
 * Histogram does (`_bucket{le,<label>}`, `_sum`, `_count`, the same text), every value from the
 * start, and is registered through one so the registry treats it as any other.
 */
export class CountedHistogram<V extends string> {
  private readonly bounds: Float64Array;
  /** Per value, one count per bucket and a last one for +Inf; not cumulative. */
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;
  private readonly indexOf: ReadonlyMap<V, number>;

  constructor(private readonly config: CountedHistogramConfig<V>) {
    if (config.buckets.some((b, i) => i > 0 && b <= config.buckets[i - 1]!)) throw new Error(`${config.name}: buckets must ascend`);
    this.bounds = Float64Array.from(config.buckets);
    this.counts = new Float64Array(config.values.length * (config.buckets.length + 1));
    this.sums = new Float64Array(config.values.length);
    this.indexOf = new Map(config.values.map((v, i) => [v, i]));
    new ExportedHistogram(config, () => this.export());
  }

  observe(value: V, seconds: number): void {
    const index = this.indexOf.get(value);
    // A value not declared, or a time that is not a number (a clock gone wrong): dropped, as a
    // metric must never throw into the update path it measures.
    if (index === undefined || !Number.isFinite(seconds)) return;
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]!) bucket++;
    this.counts[index * (bounds.length + 1) + bucket]! += 1;
    this.sums[index]! += seconds;
  }

  /** The series in prom-client's export shape: bucket counts cumulative, +Inf equal to the count. */
  private export(): ExportedValue[] {
    const { name, label, values, buckets } = this.config;
    const out: ExportedValue[] = [];
    values.forEach((value, index) => {
      const sharedLabels = { [label]: value };
      const row = index * (buckets.length + 1);
      let cumulative = 0;
      buckets.forEach((bound, b) => {
        cumulative += this.counts[row + b]!;
        out.push({ metricName: `${name}_bucket`, labels: { le: bound }, sharedLabels, value: cumulative, exemplar: null });
      });
      const count = cumulative + this.counts[row + buckets.length]!;
      out.push(
        { metricName: `${name}_bucket`, labels: { le: '+Inf' }, sharedLabels, value: count, exemplar: null },
        { metricName: `${name}_sum`, labels: {}, sharedLabels, value: this.sums[index]! },
        { metricName: `${name}_count`, labels: {}, sharedLabels, value: count },
      );
    });
    return out;
  }
}

/** What prom-client's registry reads of a histogram. */
type Exported = client.MetricObjectWithValues<client.MetricValueWithName<string>>;

/**
 * The registry's view of a CountedHistogram: a prom-client Histogram whose exports read the
 * counts instead of its own (never used) series. Not exported: nothing can observe through it.
 */
class ExportedHistogram extends client.Histogram<string> {
  constructor(
    private readonly config: CountedHistogramConfig<string>,
    private readonly series: () => ExportedValue[],
  ) {
    super({ name: config.name, help: config.help, labelNames: [config.label], buckets: [...config.buckets], registers: [config.registry] });
  }

  /** What the registry's text exposition reads (prom-client looks for it before `get`). */
  getForPromString(): Promise<Exported> {
    // prom-client's typings give `type` as a numeric enum and require a `collect`; at run time
    // `type` is the string the exposition prints, and a histogram's aggregator is 'sum'.
    const data = { name: this.config.name, help: this.config.help, type: 'histogram', aggregator: 'sum', values: this.series() };
    return Promise.resolve(data as unknown as Exported);
  }

  /** The JSON view: labels and shared labels in one object, as prom-client gives them. */
  override async get(): Promise<Exported> {
    const data = await this.getForPromString();
    return { ...data, values: (data.values as ExportedValue[]).map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }
}
