import { EventEmitter } from 'node:events';
import type { DocName } from '../../shared/model/parts';
import type { Fanout, FanoutHandler, FanoutMessage } from './fanout';

/** A bus shared by the nodes of one process. A single server has it to itself. */
export class InProcessBus {
  readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
}

/**
 * In-process fan-out: the embedded default. With one node nothing crosses; several nodes built
 * on the same bus (tests) exchange messages synchronously, exactly as they would through Redis.
 */
export class InProcessFanout implements Fanout {
  readonly kind = 'in-process' as const;

  constructor(
    readonly nodeId: string,
    private readonly bus: InProcessBus = new InProcessBus(),
  ) {}

  async publish(message: FanoutMessage): Promise<void> {
    this.bus.emitter.emit(message.doc, message);
  }

  async subscribe(doc: DocName, handler: FanoutHandler): Promise<() => Promise<void>> {
    const listener = (message: FanoutMessage) => {
      if (message.node !== this.nodeId) handler(message);
    };
    this.bus.emitter.on(doc, listener);
    return async () => {
      this.bus.emitter.off(doc, listener);
    };
  }

  onResync(): void {
    // Nothing is ever lost in process.
  }

  async close(): Promise<void> {}
}
