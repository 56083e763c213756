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
