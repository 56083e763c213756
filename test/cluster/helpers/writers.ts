import type { CrisisClient } from '../../../client/sdk/crisisClient';
import type { IncidentSession } from '../../../client/sdk/incidentSession';
import { onTeardown } from '../../helpers/testServer';
import { pace } from '../../helpers/poll';

/** Entries a writer appends before waiting for the acknowledgement of the lot. */
const BATCH = 2;
/** Pause between batches: a steady stream like people typing, not a flood that bloats the logs. */
const PACE_MS = 30;

export interface Writer {
  name: string;
  client: CrisisClient;
  session: IncidentSession;
  /** Ids of every entry appended, in order. */
  appended: string[];
  /** Ids of the entries whose acknowledgement (durable on the server) arrived. */
  acked: string[];
  done: Promise<void>;
}

/**
 * Clients streaming log entries: append a batch, wait until the server says it is durable,
 * record it as acknowledged, pause, repeat, until stopped.
 */
export class WriterStream {
  readonly writers: Writer[] = [];
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(members: Array<{ name: string; client: CrisisClient; session: IncidentSession }>) {
    for (const m of members) {
      const w: Writer = { ...m, appended: [], acked: [], done: Promise.resolve() };
      w.done = this.loop(w);
      this.writers.push(w);
    }
    // A failed test must not leave writers appending to closed clients forever.
    onTeardown(() => {
      this.stopped = true;
    });
  }

  /** A `subscribe` for waitFor: called after every acknowledged batch. */
  readonly onProgress = (notify: () => void): (() => void) => {
    this.listeners.add(notify);
    return () => this.listeners.delete(notify);
  };

  ackedCount(): number {
    return this.writers.reduce((n, w) => n + w.acked.length, 0);
  }

  /** Stops appending and waits for the batches in flight to be acknowledged. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.writers.map((w) => w.done));
  }

  allAppended(): string[] {
    return this.writers.flatMap((w) => w.appended);
  }

  private async loop(w: Writer): Promise<void> {
    while (!this.stopped) {
      const batch: string[] = [];
      for (let k = 0; k < BATCH; k++) batch.push(w.session.appendLog({ text: `${w.name} ${w.appended.length + k}` }).id);
      w.appended.push(...batch);
      await w.session.whenAcknowledged();
      w.acked.push(...batch);
      for (const notify of [...this.listeners]) notify();
      await pace(PACE_MS);
    }
  }
}
