/** A Uint8Array over a driver's Buffer: the same memory, the type the DocumentStore interface promises. */
export function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** A Buffer over a Uint8Array, for a driver that binds Buffers: the same memory, no copy. */
export function bufferOf(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
