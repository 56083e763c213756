/** Sizes both sides agree on; the server enforces them, the client avoids tripping them. */
export const LIMITS = {
  /** Largest Yjs update one message may carry (checked before decoding). */
  maxUpdateBytes: 2 * 1024 * 1024,
  /** Largest awareness update. */
  maxAwarenessBytes: 8 * 1024,
  /** engine.io frame cap (maxHttpBufferSize): an update plus framing. */
  maxFrameBytes: 3 * 1024 * 1024,
} as const;
