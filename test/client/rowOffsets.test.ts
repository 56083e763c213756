import { RowOffsets } from '../../client/web/src/components/common/rowOffsets';

interface Row {
  id: string;
}

/** The offsets as a full pass over the rows computes them: measured height by key, else the estimate. */
function reference(items: readonly Row[], measured: Map<string, number>, estimate: number): number[] {
  const o = [0];
  for (const r of items) o.push(o[o.length - 1]! + (measured.get(r.id) ?? estimate));
  return o;
}

describe('row offsets of a virtualised list', () => {
  test('agree with a full pass over rows appended, prepended, inserted, withdrawn, filtered and measured', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const measured = new Map<string, number>();
    const offsets = new RowOffsets<Row>((r) => r.id, measured);
    let all: Row[] = [];
    let shown: Row[] = [];
    let estimate = 62;
    let next = 0;
    for (let step = 0; step < 2_000; step++) {
      const r = random();
      if (r < 0.35) all = [...all, { id: `r${next++}` }];
      else if (r < 0.5) all = [{ id: `r${next++}` }, ...all];
      else if (r < 0.6) {
        const at = Math.floor(random() * (all.length + 1));
        all = [...all.slice(0, at), { id: `r${next++}` }, ...all.slice(at)];
      } else if (r < 0.65 && all.length > 0) {
        const at = Math.floor(random() * all.length);
        all = all.filter((_, i) => i !== at);
      } else if (r < 0.95 && shown.length > 0) {
        // A row drawn on screen measures its height (by its place in the list shown).
        const at = Math.floor(random() * shown.length);
        const h = 40 + Math.floor(random() * 80);
        measured.set(shown[at]!.id, h);
        offsets.measure(at, h);
      } else if (r < 0.97) estimate = estimate === 62 ? 70 : 62;
      // Mostly the whole list; sometimes a filter keeps every other row.
      shown = random() < 0.05 ? all.filter((_, i) => i % 2 === 0) : all;
      expect(Array.from(offsets.of(shown, estimate))).toEqual(reference(shown, measured, estimate));
    }
    expect(all.length).toBeGreaterThan(500);
  });
});
