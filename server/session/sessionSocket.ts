/** The answer to one message: socket.io's ack callback, or null when the client asked for none. */
export type Reply = (payload: unknown) => void;

/**
 * All a connection session needs of its socket. The socket.io adapter
 * (server/transport/socket/socketTransport.ts) implements it over a real connection; the tests
 * over an in-memory pair. Broadcasts do not pass here: a room hands them to the transport
 * (`RoomDelivery`), which sends them to the sockets subscribed to the document's channel.
 */
export interface SessionSocket {
  readonly id: string;
  readonly connected: boolean;
  /** Sends an event to the client. */
  emit(event: string, payload: unknown): void;
  /** Every message the client sends, in the order sent, whatever its event name. */
  onMessage(handler: (event: unknown, payload: unknown, reply: Reply | null) => void): void;
  /** The connection ended (either side); called once. */
  onClose(handler: () => void): void;
  /** From now on the broadcasts of `channel` (a document's name, or its published view) reach this socket. */
  subscribe(channel: string): Promise<void> | void;
  unsubscribe(channel: string): Promise<void> | void;
  /** Stops reading from the client, so TCP backpressure holds its next messages; false when this transport cannot. */
  pauseReads(): boolean;
  resumeReads(): void;
  /** Closes the connection from the server's side. */
  disconnect(): void;
}
