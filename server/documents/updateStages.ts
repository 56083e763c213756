/**
 * The stages of one client update on its way from the socket to the writer's ack and the other
 * sockets, in the order they happen. `received` is the start; each later stage is timed from the
 * one before it (where the time goes) and from `received` (how far along the update is).
 */
export const UPDATE_STAGES = ['decoded', 'ownersSettled', 'applied', 'commitStarted', 'committed', 'acked', 'broadcast'] as const;
export type UpdateStage = (typeof UPDATE_STAGES)[number];

/** Where the stage times go (the metrics module backs it with prom-client histograms). */
export interface StageSink {
  observe(stage: UpdateStage, sincePreviousSeconds: number, sinceReceivedSeconds: number): void;
}

/** The clock of one update: created when its message is received, marked at each stage it reaches. */
export class UpdateStages {
  private readonly received = performance.now();
  private last = this.received;

  constructor(private readonly sink: StageSink) {}

  mark(stage: UpdateStage): void {
    const now = performance.now();
    this.sink.observe(stage, (now - this.last) / 1000, (now - this.received) / 1000);
    this.last = now;
  }
}
