import zlib from 'node:zlib';
import * as Y from 'yjs';
import { varUintPiece } from '../../shared/protocol/joinEncoding';
import type { JoinState } from './roomDeps';
import { isEmptyStateVector } from './stateVectors';

/** A few state vectors are asked by most joiners at once (nothing cached, or the same state before a network cut). */
const MAX_ANSWERS = 4;
/** The full state is encoded again once what changed since its base outgrows this share of the base. */
const REBASE_SHARE = 1 / 8;

type Answer = Omit<JoinState, 'seq'>;
/** A document's whole state at some version: the answer to a joiner with nothing, then. */
type Base = { updates: Uint8Array[]; stateVector: Uint8Array; bytes: number };

/**
 * The join answers of one version of a document, keyed by the joiner's state vector: what a
 * joiner lacks is encoded once and the same bytes go to every joiner with the same vector (a
 * shift change, a reconnect after a network cut: 150 joiners cost one encoding, not 150). The
 * room empties it on every transaction of its document; `seq` guards the rest.
 *
 * A joiner with nothing gets the document's whole state as a base kept across versions (the
 * stored bytes the room loaded, or the last full encoding) and what changed since it: on a log
 * being written, each version costs the change (and the delete set), not the 30 MB of a
 * 100,000-entry log, and the base's compressed bytes are reused (`DeflatedAnswers`).
 */
export class JoinAnswers {
  private seq = -1;
  private readonly answers = new Map<string, Answer>();
  private base: Base | null = null;

  /** The answer for `sv` at `seq` from `doc`, encoded only when no joiner asked it before. */
  of(sv: Uint8Array, seq: number, doc: Y.Doc): Answer {
    if (seq !== this.seq) {
      this.answers.clear();
      this.seq = seq;
    }
    const key = keyOf(sv);
    const answer = this.answers.get(key) ?? (isEmptyStateVector(sv) ? this.whole(doc) : { updates: [Y.encodeStateAsUpdate(doc, sv)], stateVector: Y.encodeStateVector(doc) });
    // Most recently used last, so the oldest goes first when full.
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }

  /** The state the document was loaded from (its stored bytes, already served to joiners): the first base. */
  seedBase(updates: Uint8Array[], stateVector: Uint8Array): void {
    this.base = { updates, stateVector, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
  }

  clear(): void {
    this.answers.clear();
    this.seq = -1;
  }

  /** The whole state: the base and what changed since (all the delete set included), or a new base when that grew too large. */
  private whole(doc: Y.Doc): Answer {
    const stateVector = Y.encodeStateVector(doc);
    if (this.base) {
      const delta = Y.encodeStateAsUpdate(doc, this.base.stateVector);
      if (delta.byteLength <= this.base.bytes * REBASE_SHARE) return { updates: [...this.base.updates, delta], stateVector };
    }
    const full = Y.encodeStateAsUpdate(doc);
    this.base = { updates: [full], stateVector, bytes: full.byteLength };
    return { updates: this.base.updates, stateVector };
  }
}

/** A state vector as a map key: its bytes one char each (small: a few bytes per client id). */
function keyOf(sv: Uint8Array): string {
  return Buffer.from(sv.buffer, sv.byteOffset, sv.byteLength).toString('latin1');
}

/** Answers smaller than this go as they are: deflating them saves less than it costs. */
export const DEFLATE_MIN_BYTES = 64 * 1024;

const DEFLATE_CHUNK_BYTES = 256 * 1024;

/**
 * Compresses pieces as one raw DEFLATE segment: `final` ends it as a stream, otherwise it ends
 * with a sync flush (byte-aligned, no final block), so segments compressed apart and laid end to
 * end are one valid stream (as pigz does): an answer's base is compressed once and reused.
 */
export type Deflate = (pieces: readonly Uint8Array[], final: boolean) => Promise<Uint8Array>;

/**
 * Raw DEFLATE on libuv's threadpool, off the event loop, fed the pieces as a stream so an answer
 * is never copied into one frame first. Level 1: a Yjs log compresses about 12× at it (6.5 MB →
 * 0.52 MB in ~30 ms); higher levels cost several times the time for a few percent.
 */
export const deflateOffLoop: Deflate = (pieces, final) =>
  new Promise((resolve, reject) => {
    // Large output chunks: zlib's default 16 KB would cost a threadpool round trip and an event-loop turn per 16 KB.
    const stream = zlib.createDeflateRaw({ level: 1, chunkSize: DEFLATE_CHUNK_BYTES, finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    stream.on('error', reject);
    for (const piece of pieces) stream.write(piece);
    stream.end();
  });

/**
 * The compressed form of join answers, beside the plain one, as the frame of
 * shared/protocol/joinEncoding.ts: its count, then each update with its length, each update a
 * segment compressed once (kept as long as the update: a base served at many versions is
 * compressed once), then an empty final block. Whole answers are kept too, by their `updates`
 * array, which `JoinAnswers` hands to every joiner of a version with the same state vector (and
 * a cold room its stored bytes): those arriving while it is compressed wait on the same promise.
 * Weak maps: the compressed forms go with what they compress.
 */
export class DeflatedAnswers {
  private readonly deflated = new WeakMap<readonly Uint8Array[], Promise<Uint8Array | null>>();
  private readonly segments = new WeakMap<Uint8Array, Promise<Uint8Array>>();
  private end: Promise<Uint8Array> | null = null;

  constructor(
    private readonly deflate: Deflate = deflateOffLoop,
    private readonly minBytes = DEFLATE_MIN_BYTES,
  ) {}

  /**
   * The deflated frame of `updates`; null at once when they are too small to be worth it, a
   * promise of null when deflating failed (the plain bytes go then).
   */
  of(updates: readonly Uint8Array[]): Promise<Uint8Array | null> | null {
    const known = this.deflated.get(updates);
    if (known) return known;
    let total = 0;
    for (const u of updates) total += u.byteLength;
    if (total < this.minBytes) return null;
    if (!this.end) {
      this.end = this.deflate([], true);
      this.end.catch(() => (this.end = null));
    }
    const parts = [this.deflate([varUintPiece(updates.length)], false), ...updates.map((u) => this.segmentOf(u)), this.end];
    const pending = Promise.all(parts).then(
      (done) => new Uint8Array(Buffer.concat(done)),
      () => null,
    );
    this.deflated.set(updates, pending);
    return pending;
  }

  /** An update as the frame holds it (its length, then its bytes), compressed once. */
  private segmentOf(update: Uint8Array): Promise<Uint8Array> {
    let segment = this.segments.get(update);
    if (!segment) {
      segment = this.deflate([varUintPiece(update.byteLength), update], false);
      // A failure is not kept: the next answer tries again.
      segment.catch(() => this.segments.delete(update));
      this.segments.set(update, segment);
    }
    return segment;
  }
}

/** This process's one cache of compressed join answers: its entries live and die with the answers they compress. */
export const deflatedAnswers = new DeflatedAnswers();
