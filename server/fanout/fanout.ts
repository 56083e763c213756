import type { DocName } from '../../shared/model/parts';

/** What crosses between nodes. Every message names its node, so each node drops its own echo. */
export type FanoutMessage =
  | { kind: 'update'; node: string; doc: DocName; seq: number; update: Uint8Array }
  | { kind: 'awareness'; node: string; doc: DocName; update: Uint8Array };

export type FanoutHandler = (message: FanoutMessage) => void;

/**
 * Fan-out between server nodes. Implementations: in-process (the embedded default, and
 * several nodes in one process for tests) and Redis pub/sub. One contract suite runs
 * against both. Delivery is best effort: journal sequence numbers let a node find gaps.
 */
export interface Fanout {
  readonly kind: 'in-process' | 'redis';
  readonly nodeId: string;
  publish(message: FanoutMessage): Promise<void>;
  /** Receives messages of `doc` published by other nodes. Returns the unsubscribe. */
  subscribe(doc: DocName, handler: FanoutHandler): Promise<() => Promise<void>>;
  /** Called after the fan-out lost messages (reconnect): every room must catch up from the journal. */
  onResync(listener: () => void): void;
  close(): Promise<void>;
}
