import type { AuthoredOrigin } from './origins';
import type { UpdateStages } from './updateStages';

/** An accepted update waiting for its journal commit; its waiters are acknowledged after it. */
export class PendingRecord {
  readonly at = new Date();
  readonly done: Promise<number>;
  resolve!: (seq: number) => void;

  constructor(
    readonly update: Uint8Array,
    readonly origin: AuthoredOrigin,
    /** The client update's stage clock (none for the server's own changes). */
    readonly stages?: UpdateStages,
  ) {
    this.done = new Promise<number>((resolve) => {
      this.resolve = resolve;
    });
  }
}
