/**
 * Which journal sequence numbers a room has applied. Records arrive from this node's own
 * commits and from other nodes, not always in order; `contiguous` is the highest seq below
 * which nothing is missing, and a lasting hole above it means a lost message to catch up on.
 */
export class SeqTracker {
  private contiguousSeq: number;
  private readonly ahead = new Set<number>();

  constructor(start: number) {
    this.contiguousSeq = start;
  }

  get contiguous(): number {
    return this.contiguousSeq;
  }

  get highest(): number {
    return Math.max(this.contiguousSeq, ...this.ahead);
  }

  has(seq: number): boolean {
    return seq <= this.contiguousSeq || this.ahead.has(seq);
  }

  hasGap(): boolean {
    return this.ahead.size > 0;
  }

  mark(seq: number): void {
    if (seq <= this.contiguousSeq) return;
    this.ahead.add(seq);
    while (this.ahead.delete(this.contiguousSeq + 1)) this.contiguousSeq += 1;
  }
}
