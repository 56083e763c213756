import type { Logger } from '../logger';
import type { DocumentStore } from '../storage/documentStore';
import type { RoomRegistry } from './roomRegistry';

/**
 * The last safety net between nodes: every few seconds, each loaded room compares what it has
 * applied with the journal's head and catches up if it is behind. The fan-out normally brings
 * every record within milliseconds and a hole in the seqs triggers a catch-up on its own; what
 * neither sees is a record that was never published at all — its node died between the commit
 * and the publish, or a REST write was the last edit for a while — since no later message
 * reveals the hole. Only multi-node deployments need it: in one process nothing is published.
 */
export class JournalWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: DocumentStore,
    private readonly rooms: RoomRegistry,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over the loaded rooms; a pass still running (slow database) is not doubled. */
  sweep(): Promise<void> {
    if (!this.running) {
      const pass = this.checkHeads();
      this.running = pass;
      void pass.then(() => {
        if (this.running === pass) this.running = null;
      });
    }
    return this.running;
  }

  private async checkHeads(): Promise<void> {
    try {
      for (const room of this.rooms.loaded()) {
        const head = await this.store.headSeq(room.name);
        if (head > room.seq) {
          this.logger.info({ doc: room.name, applied: room.seq, head }, 'journal is ahead of this node: catching up');
          await room.catchUp();
        }
      }
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'journal watch: head check failed; next pass retries');
    }
  }
}
