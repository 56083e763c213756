import type { Logger } from '../logger';
import type { DocumentStore } from '../storage/documentStore';
import type { DocumentRoom } from './room';

/** What the watch needs of the loaded rooms: each one's name, what it applied, and its catch-up. */
export interface WatchedRooms {
  loaded(): Array<Pick<DocumentRoom, 'name' | 'seq' | 'catchUp'>>;
}

/**
 * The last safety net between nodes: every few seconds, each loaded room compares what it has
 * applied with the journal's head and catches up if it is behind. The fan-out normally brings
 * every record within milliseconds and a hole in the seqs triggers a catch-up on its own; what
 * neither sees is a record that was never published at all — its node died between the commit
 * and the publish, or a REST write was the last edit for a while — since no later message
 * reveals the hole. Only multi-node deployments need it: in one process nothing is published.
 *
 * A room catches up only on records that were already in the journal at the pass before: under
 * steady writing, the head is often one record ahead whose publish is still on its way (a few
 * milliseconds), and reading the journal for it would be work, and a log line, for nothing.
 */
export class JournalWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Each loaded room's journal head at the last pass. */
  private heads = new Map<string, number>();

  constructor(
    private readonly store: Pick<DocumentStore, 'headSeq'>,
    private readonly rooms: WatchedRooms,
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
      // Never rejects: the pass runs from a timer, where a rejection would end the process.
      const pass = this.checkHeads().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'journal watch: pass failed; next pass retries'));
      this.running = pass;
      void pass.then(() => {
        if (this.running === pass) this.running = null;
      });
    }
    return this.running;
  }

  private async checkHeads(): Promise<void> {
    const heads = new Map<string, number>();
    let failures = 0;
    let firstFailure: unknown = null;
    // Room by room: one whose check fails must not stop the others, nor freeze what they remember.
    for (const room of this.rooms.loaded()) {
      try {
        const head = await this.store.headSeq(room.name);
        heads.set(room.name, head);
        // Missing since the last pass at least: the fan-out will not bring it.
        const lasting = Math.min(head, this.heads.get(room.name) ?? 0);
        if (room.seq < lasting) {
          this.logger.info({ doc: room.name, applied: room.seq, head }, 'journal records never reached this node through the fan-out: catching up');
          await room.catchUp();
        }
      } catch (err) {
        // Its head unread: keep the one from before, so what was missing then is caught up at the next pass.
        if (!heads.has(room.name) && this.heads.has(room.name)) heads.set(room.name, this.heads.get(room.name)!);
        if (failures++ === 0) firstFailure = err;
      }
    }
    this.heads = heads;
    if (failures > 0) this.logger.warn({ rooms: failures, err: String(firstFailure) }, 'journal watch: head check or catch-up failed; next pass retries');
  }
}
