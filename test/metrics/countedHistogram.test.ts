import client from 'prom-client';
import { CountedHistogram } from '../../server/countedHistogram';

const BUCKETS = [0.00002, 0.0001, 0.001, 0.01, 0.5];
const STAGES = ['decoded', 'applied', 'acked'] as const;

/** The same observations through prom-client's own Histogram and through a CountedHistogram. */
function both(observations: Array<[(typeof STAGES)[number], number]>) {
  const theirs = new client.Registry();
  const ours = new client.Registry();
  const reference = new client.Histogram({ name: 'h_seconds', help: 'help text', labelNames: ['stage'], buckets: BUCKETS, registers: [theirs] });
  const counted = new CountedHistogram({ name: 'h_seconds', help: 'help text', label: 'stage', values: STAGES, buckets: BUCKETS, registry: ours });
  for (const [stage, seconds] of observations) {
    reference.labels(stage).observe(seconds);
    counted.observe(stage, seconds);
  }
  return { theirs, ours, counted };
}

describe('CountedHistogram', () => {
  // Every stage observed, values on the bounds (le counts them in), between, and above the last.
  const observations: Array<[(typeof STAGES)[number], number]> = [
    ['decoded', 0.00001], ['decoded', 0.00002], ['decoded', 0.00003], ['decoded', 0.7],
    ['applied', 0.001], ['applied', 0.0011], ['applied', 0.5], ['applied', 0.000015],
    ['acked', 0.25], ['acked', 2], ['acked', 0],
  ];

  it('prints the text prom-client prints for the same observations', async () => {
    const { theirs, ours } = both(observations);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('gives the JSON prom-client gives for the same observations', async () => {
    const { theirs, ours } = both(observations);
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('exports every value from the start, at zero', async () => {
    const { ours } = both([]);
    const text = await ours.metrics();
    for (const stage of STAGES) {
      expect(text).toContain(`h_seconds_bucket{le="+Inf",stage="${stage}"} 0`);
      expect(text).toContain(`h_seconds_count{stage="${stage}"} 0`);
    }
  });

  it('drops a value it was not given and a time that is not a number, and never throws', async () => {
    const { ours, counted } = both([['decoded', 0.001]]);
    const before = await ours.metrics();
    (counted as CountedHistogram<string>).observe('unknown', 0.001);
    counted.observe('decoded', Number.NaN);
    counted.observe('decoded', Number.POSITIVE_INFINITY);
    expect(await ours.metrics()).toBe(before);
  });

  it('refuses buckets that do not ascend', () => {
    expect(() => new CountedHistogram({ name: 'x_seconds', help: 'x', label: 'stage', values: STAGES, buckets: [0.1, 0.1], registry: new client.Registry() })).toThrow(/ascend/);
  });
});
