import type { CliStream } from './io';

/** Below this many records an export or a verification is quick: no bar. */
export const PROGRESS_MIN_TOTAL = 5_000;
const REDRAW_MS = 100;

/**
 * A one-line progress bar on stderr, drawn only on a terminal (never into a file or a pipe,
 * where it would be noise in logs) and only for large incidents. Redrawn at most every 100 ms.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly started = Date.now();

  constructor(
    private readonly stream: CliStream,
    private readonly minTotal = PROGRESS_MIN_TOTAL,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(phase: string, done: number, total: number): void {
    if (!this.enabled || total < this.minTotal) return;
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS && done < total) return;
    this.lastDraw = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 50));
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(ratio * width);
    const seconds = ((now - this.started) / 1000).toFixed(1);
    const line = `${phase.padEnd(8)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done.toLocaleString('fr-FR')}/${total.toLocaleString('fr-FR')} ${seconds} s`;
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar, so what follows starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
