import type { DocName } from '../../shared/model/parts';
import type { JournalHead, JournalRecord } from '../storage/documentStore';
import { GENESIS_HASH, recordHash } from '../storage/chain';

export type ChainProblemKind = 'content' | 'link' | 'missing' | 'out-of-order' | 'truncated' | 'head' | 'checkpoint';

/** The first place a chain does not hold, naming the record: `<doc>#<seq>`. */
export interface ChainProblem {
  doc: DocName;
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

/**
 * Checks one document's chain as its records stream past, in seq order, and keeps the first
 * problem (everything after a break would fail too). What each finding means:
 * - content: the record's fields no longer hash to its stored hash (a byte changed, or a
 *   record moved to another seq: the seq is hashed too);
 * - link: the record is intact but the one before it is not what it was chained to (that one
 *   was rewritten and its hash recomputed): the earlier record is named;
 * - missing / out-of-order: a seq is absent (deleted) or repeated;
 * - truncated / head: the chain ends before, or elsewhere than, where the heads table (written
 *   in the same transaction as every append) says it ends.
 */
export class ChainChecker {
  private prev = GENESIS_HASH;
  private expected = 1;
  private first: ChainProblem | null = null;
  private readonly remembered = new Map<number, string>();
  lastSeq = 0;
  lastHash = GENESIS_HASH;
  checked = 0;

  /** `watch`: seqs whose hash to remember (checkpoints to compare with). */
  constructor(
    readonly doc: DocName,
    private readonly watch: ReadonlySet<number> = new Set(),
  ) {}

  get problem(): ChainProblem | null {
    return this.first;
  }

  hashAt(seq: number): string | undefined {
    return this.remembered.get(seq);
  }

  check(r: JournalRecord): void {
    if (this.first) return;
    this.checked += 1;
    if (r.seq !== this.expected) {
      this.fail(r.seq > this.expected ? this.expected : r.seq, r.seq > this.expected ? 'missing' : 'out-of-order',
        r.seq > this.expected
          ? `record ${this.name(this.expected)} is missing: the journal goes from #${this.expected - 1} to #${r.seq}`
          : `record ${this.name(r.seq)} appears again after #${this.expected - 1}`);
      return;
    }
    // Hashes come from the store as lowercase hex of 32 bytes; an emptied or mangled one fails the comparison.
    const valid = r.prevHash.length === 64 && r.hash.length === 64;
    if (!valid || recordHash(r, r.prevHash) !== r.hash) {
      this.fail(r.seq, 'content', `record ${this.name(r.seq)} (${r.at.toISOString()}, ${JSON.stringify(r.author)}) does not match its hash: its content, time, author or position was changed`);
      return;
    }
    if (r.prevHash !== this.prev) {
      const at = r.seq - 1;
      this.fail(at === 0 ? r.seq : at, 'link',
        at === 0
          ? `record ${this.name(r.seq)} does not start the chain (its previous hash is not the genesis hash)`
          : `record ${this.name(at)} was rewritten: record #${r.seq} was chained to ${r.prevHash.slice(0, 16)}…, but #${at} now hashes to ${this.prev.slice(0, 16)}…`);
      return;
    }
    if (this.watch.has(r.seq)) this.remembered.set(r.seq, r.hash);
    this.prev = r.hash;
    this.lastSeq = r.seq;
    this.lastHash = r.hash;
    this.expected += 1;
  }

  /** After the last record: compares where the chain ends with the heads table. */
  finish(head: JournalHead): void {
    if (this.first) return;
    if (head.seq > this.lastSeq) {
      this.fail(this.lastSeq + 1, 'truncated', `record ${this.name(this.lastSeq + 1)} is missing: the journal ends at #${this.lastSeq} but its head was #${head.seq} (the tail was removed)`);
    } else if (head.seq < this.lastSeq) {
      this.fail(head.seq + 1, 'head', `record ${this.name(head.seq + 1)} is not covered by the heads table (it ends at #${head.seq}): records were added outside the server`);
    } else if (head.hash !== this.lastHash) {
      this.fail(this.lastSeq, 'head', `record ${this.name(this.lastSeq)} was rewritten: the heads table recorded hash ${head.hash.slice(0, 16)}… for it`);
    }
  }

  /** Records a problem found by someone else (a checkpoint), if none was found before. */
  fail(seq: number, kind: ChainProblemKind, message: string): void {
    if (!this.first) this.first = { doc: this.doc, seq, kind, message };
  }

  private name(seq: number): string {
    return `${this.doc}#${seq}`;
  }
}
