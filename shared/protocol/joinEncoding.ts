import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

/**
 * The framing of a join answer's updates before compression (docs/PROTOCOL.md, "Compressed join
 * answers"): their count, then each update with its length, lib0 variable-length integers.
 * The server frames and deflates (server/documents/joinAnswers.ts), the SDK inflates and reads
 * (client/sdk/docSync.ts): one definition for both sides.
 */
export function packUpdates(updates: readonly Uint8Array[]): Uint8Array {
  const pieces = framePieces(updates);
  const frame = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    frame.set(p, at);
    at += p.byteLength;
  }
  return frame;
}

/** A lib0 variable-length integer as a frame's piece: its count of updates, and each update's length. */
export function varUintPiece(n: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, n);
  return encoding.toUint8Array(encoder);
}

/** The frame as pieces: the count, then each length and update (the server compresses the same pieces apart: server/documents/joinAnswers.ts). */
function framePieces(updates: readonly Uint8Array[]): Uint8Array[] {
  const pieces: Uint8Array[] = [varUintPiece(updates.length)];
  for (const update of updates) pieces.push(varUintPiece(update.byteLength), update);
  return pieces;
}

/** The updates framed by `packUpdates`; throws on bytes that are not such a frame. */
export function unpackUpdates(bytes: Uint8Array): Uint8Array[] {
  const decoder = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(decoder);
  // Each update takes at least its length byte: a count beyond that is not a frame.
  if (count > bytes.length) throw new Error('not a frame of updates');
  const updates: Uint8Array[] = [];
  for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder));
  if (decoding.hasContent(decoder)) throw new Error('bytes after the last update');
  return updates;
}
