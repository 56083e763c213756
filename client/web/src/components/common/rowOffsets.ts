/**
 * Where each row of a virtualised list starts, kept across renders. A new entry in a
 * 100,000-row log must not cost 100,000 height lookups by key: rows that kept their place at
 * the start or at the end of the list (the same objects) keep their heights, so an entry
 * appended (oldest first) or prepended (newest first) looks up one height, and a measured row
 * updates its own. The offsets are then one pass of additions over a typed array.
 */
export class RowOffsets<T> {
  private items: readonly T[] = [];
  /** Height of each row, by position in `items`. */
  private heights = new Float64Array(0);
  private estimate = -1;
  private dirty = true;
  /** offsets[i]: where row i starts; offsets[length]: the whole height. */
  private offsets = new Float64Array(1);

  constructor(
    private readonly itemKey: (item: T) => string,
    /** Heights measured so far, by key (they outlive a row leaving the list: a filter cleared). */
    private readonly measured: Map<string, number>,
  ) {}

  /** The offsets for `items`, reusing the heights of the rows at the same place at either end. */
  of(items: readonly T[], estimate: number): Float64Array {
    if (items !== this.items || estimate !== this.estimate) this.align(items, estimate);
    if (this.dirty) this.sum();
    return this.offsets;
  }

  /** Row `index` of the current items measures `height` (the map by key is the caller's). */
  measure(index: number, height: number): void {
    if (index < 0 || index >= this.heights.length || this.heights[index] === height) return;
    this.heights[index] = height;
    this.dirty = true;
  }

  private align(items: readonly T[], estimate: number): void {
    const prev = this.items;
    const n = items.length;
    let head = 0;
    let tail = 0;
    if (estimate === this.estimate) {
      const shared = Math.min(n, prev.length);
      while (head < shared && items[head] === prev[head]) head++;
      while (tail < shared - head && items[n - 1 - tail] === prev[prev.length - 1 - tail]) tail++;
    }
    const heights = new Float64Array(n);
    heights.set(this.heights.subarray(0, head));
    heights.set(this.heights.subarray(prev.length - tail), n - tail);
    for (let i = head; i < n - tail; i++) heights[i] = this.measured.get(this.itemKey(items[i]!)) ?? estimate;
    this.items = items;
    this.heights = heights;
    this.estimate = estimate;
    this.dirty = true;
  }

  private sum(): void {
    const n = this.heights.length;
    const o = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) o[i + 1] = o[i]! + this.heights[i]!;
    this.offsets = o;
    this.dirty = false;
  }
}
