/**
 * The share of a server's time spent in garbage-collection pauses, from the lines Node prints
 * with --trace-gc on its standard output ("[pid:0x…]   1234 ms: Scavenge 10.2 (12.3) -> 9.8
 * (13.3) MB, 0.52 / 0.00 ms …"). V8 writes them through C stdio, buffered on a pipe, so they may
 * arrive late (at the latest when the server exits): each is placed by the time it carries, ms
 * since the server's isolate started, which is within a few ms of its spawn. Worker threads (the
 * snapshot compactor) print theirs too, under their own isolate's address and clock: only the
 * main isolate's count, since only its pauses hold the event loop. It is the first to print: the
 * server starts its threads on demand, long after its first collections.
 */
const GC_LINE = /^\[\d+:([^\]]+)\]\s+(\d+) ms: (Scavenge|Minor Mark-Compact|Mark-Compact(?: \(reduce\))?|Mark-sweep)\b[^,]*, ([\d.]+) \/ [\d.]+ ms/;

export class GcTrace {
  private pending = '';
  private readonly pauses: Array<{ at: number; kind: string; ms: number }> = [];
  private readonly spawnedAt = performance.now();
  private mainIsolate: string | null = null;

  /** Hand to spawnServer's onStdout; make the GcTrace right before spawning. */
  readonly onStdout = (chunk: Buffer): void => {
    const lines = (this.pending + chunk.toString()).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = GC_LINE.exec(line);
      if (!m) continue;
      this.mainIsolate ??= m[1]!;
      if (m[1] === this.mainIsolate) this.pauses.push({ at: Number(m[2]), kind: m[3]!, ms: Number(m[4]) });
    }
  };

  /** Now, on the server's clock (ms since its spawn). */
  now(): number {
    return performance.now() - this.spawnedAt;
  }

  /** The pauses between two readings of now() (call once the server has exited), and their share of that time. */
  summary(from: number, to: number): { collections: number; scavenges: number; pauseMs: number; sharePercent: number } {
    const inWindow = this.pauses.filter((p) => p.at >= from && p.at <= to);
    const pauseMs = inWindow.reduce((n, p) => n + p.ms, 0);
    return {
      collections: inWindow.length,
      scavenges: inWindow.filter((p) => p.kind === 'Scavenge').length,
      pauseMs: Math.round(pauseMs),
      sharePercent: to > from ? Math.round((pauseMs / (to - from)) * 1000) / 10 : 0,
    };
  }
}
