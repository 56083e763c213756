import zlib from 'node:zlib';
import { framePieces } from '../../shared/protocol/joinEncoding';
import type { JoinState } from './roomDeps';

/** A few state vectors are asked by most joiners at once (nothing cached, or the same state before a network cut). */
const MAX_ANSWERS = 4;

type Answer = Omit<JoinState, 'seq'>;

/**
 * The join answers of one version of a document, keyed by the joiner's state vector: what a
 * joiner lacks is encoded once and the same bytes go to every joiner with the same vector (a
 * shift change, a reconnect after a network cut: 150 joiners cost one encoding, not 150). The
 * room empties it on every transaction of its document; `seq` guards the rest.
 */
export class JoinAnswers {
  private seq = -1;
  private readonly answers = new Map<string, Answer>();

  /** The answer for `sv` at `seq`, encoded by `encode` only when no joiner asked it before. */
  of(sv: Uint8Array, seq: number, encode: () => Answer): Answer {
    if (seq !== this.seq) {
      this.answers.clear();
      this.seq = seq;
    }
    const key = keyOf(sv);
    const answer = this.answers.get(key) ?? encode();
    // Most recently used last, so the oldest goes first when full.
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }

  clear(): void {
    this.answers.clear();
    this.seq = -1;
  }
}

/** A state vector as a map key: its bytes one char each (small: a few bytes per client id). */
function keyOf(sv: Uint8Array): string {
  return Buffer.from(sv.buffer, sv.byteOffset, sv.byteLength).toString('latin1');
}

/** Answers smaller than this go as they are: deflating them saves less than it costs. */
export const DEFLATE_MIN_BYTES = 64 * 1024;

const DEFLATE_CHUNK_BYTES = 256 * 1024;

/** Compresses the pieces of a frame as one stream (raw DEFLATE of their concatenation). */
export type Deflate = (pieces: readonly Uint8Array[]) => Promise<Uint8Array>;

/**
 * Raw DEFLATE on libuv's threadpool, off the event loop, fed the frame's pieces as a stream so
 * the answer is never copied into one frame first. Level 1: a Yjs log compresses about 12× at it
 * (6.5 MB → 0.52 MB in ~30 ms); higher levels cost several times the time for a few percent.
 */
export const deflateOffLoop: Deflate = (pieces) =>
  new Promise((resolve, reject) => {
    // Large output chunks: zlib's default 16 KB would cost a threadpool round trip and an event-loop turn per 16 KB.
    const stream = zlib.createDeflateRaw({ level: 1, chunkSize: DEFLATE_CHUNK_BYTES });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    stream.on('error', reject);
    for (const piece of pieces) stream.write(piece);
    stream.end();
  });

/**
 * The compressed form of join answers, beside the plain one: keyed by the answer's `updates`
 * array itself, which `JoinAnswers` hands to every joiner of a version with the same state
 * vector (and a cold room its stored bytes), so an answer is framed and deflated once however
 * many joiners ask it, and those arriving while it is deflated wait on the same promise. A
 * weak map: the compressed form goes when the answer does (the next transaction, the room
 * unloaded).
 */
export class DeflatedAnswers {
  private readonly deflated = new WeakMap<readonly Uint8Array[], Promise<Uint8Array | null>>();

  constructor(
    private readonly deflate: Deflate = deflateOffLoop,
    private readonly minBytes = DEFLATE_MIN_BYTES,
  ) {}

  /**
   * The deflated frame of `updates` (shared/protocol/joinEncoding.ts); null at once when they are
   * too small to be worth it, a promise of null when deflating failed (the plain bytes go then).
   */
  of(updates: readonly Uint8Array[]): Promise<Uint8Array | null> | null {
    const known = this.deflated.get(updates);
    if (known) return known;
    let total = 0;
    for (const u of updates) total += u.byteLength;
    if (total < this.minBytes) return null;
    const pending = this.deflate(framePieces(updates)).catch(() => null);
    this.deflated.set(updates, pending);
    return pending;
  }
}

/** This process's one cache of compressed join answers: its entries live and die with the answers they compress. */
export const deflatedAnswers = new DeflatedAnswers();
