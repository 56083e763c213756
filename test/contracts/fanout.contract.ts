import type { Fanout, FanoutMessage } from '../../server/fanout/fanout';
import { newId } from '../../shared/model/ids';
import { docName, type DocName } from '../../shared/model/parts';

/** Two nodes on one fan-out, and how to tear both down. */
export type FanoutPair = [Fanout, Fanout, () => Promise<void>];

/**
 * What every Fanout must do. Nothing here sleeps: a test waits for the message it expects, and
 * proves that something did NOT arrive by sending a later "barrier" message down the same
 * path. Both implementations deliver one subscriber's messages in publish order, so once the
 * barrier is in, anything sent before it would have been too.
 */
export function describeFanoutContract(name: string, makePair: () => Promise<FanoutPair>): void {
  describe(`Fanout contract: ${name}`, () => {
    let a: Fanout;
    let b: Fanout;
    let teardown: () => Promise<void>;

    beforeEach(async () => {
      [a, b, teardown] = await makePair();
    });

    afterEach(async () => {
      await teardown();
    });

    it('delivers a message to the other node intact, and not back to its publisher', async () => {
      const doc = freshDoc();
      const atB = new Inbox();
      const atA = new Inbox();
      await b.subscribe(doc, atB.handler);
      await a.subscribe(doc, atA.handler);

      const update = Uint8Array.from({ length: 256 }, (_, i) => i);
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 42, update });
      const got = await atB.next();
      expect(got).toEqual({ kind: 'update', node: a.nodeId, doc, seq: 42, update: expect.any(Uint8Array) });
      expect(Array.from(got.update)).toEqual(Array.from(update));

      // Barrier from B: A sees it, and nothing before it (its own echo was dropped).
      await b.publish({ kind: 'update', node: b.nodeId, doc, seq: 43, update: new Uint8Array([1]) });
      const first = await atA.next();
      expect(first).toMatchObject({ node: b.nodeId, seq: 43 });
      expect(atB.received).toHaveLength(1);
    });

    it('carries large and empty updates byte for byte', async () => {
      const doc = freshDoc();
      const atB = new Inbox();
      await b.subscribe(doc, atB.handler);
      const large = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256);
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 1, update: large });
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 2, update: new Uint8Array(0) });
      const [big, empty] = [await atB.next(), await atB.next()];
      expect(Buffer.from(big.update).equals(Buffer.from(large))).toBe(true);
      expect(empty.update.byteLength).toBe(0);
    });

    it('keeps documents apart', async () => {
      const wanted = freshDoc();
      const other = freshDoc();
      const atB = new Inbox();
      await b.subscribe(wanted, atB.handler);
      await a.publish({ kind: 'update', node: a.nodeId, doc: other, seq: 1, update: new Uint8Array([9]) });
      await a.publish({ kind: 'update', node: a.nodeId, doc: wanted, seq: 1, update: new Uint8Array([1]) });
      const first = await atB.next();
      expect(first.doc).toBe(wanted);
      expect(atB.received.every((m) => m.doc === wanted)).toBe(true);
    });

    it('stops delivering to an unsubscribed handler and keeps the others', async () => {
      const doc = freshDoc();
      const gone = new Inbox();
      const stays = new Inbox();
      const unsubscribeGone = await b.subscribe(doc, gone.handler);
      await b.subscribe(doc, stays.handler);
      await unsubscribeGone();
      await unsubscribeGone(); // idempotent
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 1, update: new Uint8Array([1]) });
      expect(seqOf(await stays.next())).toBe(1);
      expect(gone.received).toHaveLength(0);
    });

    it('forgets a document once its last handler is gone, and can subscribe to it again', async () => {
      const doc = freshDoc();
      const barrierDoc = freshDoc();
      const one = new Inbox();
      const two = new Inbox();
      const barrier = new Inbox();
      const offOne = await b.subscribe(doc, one.handler);
      const offTwo = await b.subscribe(doc, two.handler);
      await b.subscribe(barrierDoc, barrier.handler);
      await offOne();
      await offTwo();
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 1, update: new Uint8Array([1]) });
      await a.publish({ kind: 'update', node: a.nodeId, doc: barrierDoc, seq: 1, update: new Uint8Array([2]) });
      await barrier.next();
      expect(one.received).toHaveLength(0);
      expect(two.received).toHaveLength(0);

      const again = new Inbox();
      await b.subscribe(doc, again.handler);
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 2, update: new Uint8Array([3]) });
      expect(seqOf(await again.next())).toBe(2);
      expect(one.received).toHaveLength(0);
    });

    it("preserves the order of one publisher's messages", async () => {
      const doc = freshDoc();
      const atB = new Inbox();
      await b.subscribe(doc, atB.handler);
      const count = 200;
      // Not awaited one by one: rooms publish a committed batch in a loop without waiting.
      await Promise.all(Array.from({ length: count }, (_, i) => a.publish({ kind: 'update', node: a.nodeId, doc, seq: i + 1, update: new Uint8Array([i % 256]) })));
      const seqs: number[] = [];
      for (let i = 0; i < count; i++) seqs.push(seqOf(await atB.next()));
      expect(seqs).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    });

    it('carries awareness messages too, in both directions', async () => {
      const doc = freshDoc();
      const atA = new Inbox();
      const atB = new Inbox();
      await a.subscribe(doc, atA.handler);
      await b.subscribe(doc, atB.handler);
      const presence = new TextEncoder().encode('{"user":"Dr. Noël","cursor":12}');
      await a.publish({ kind: 'awareness', node: a.nodeId, doc, update: presence });
      const got = await atB.next();
      expect(got.kind).toBe('awareness');
      expect(got).not.toHaveProperty('seq');
      expect(got.node).toBe(a.nodeId);
      expect(Array.from(got.update)).toEqual(Array.from(presence));

      await b.publish({ kind: 'awareness', node: b.nodeId, doc, update: new Uint8Array([5, 6]) });
      expect(await atA.next()).toMatchObject({ kind: 'awareness', node: b.nodeId, doc });
    });

    it('publishes without throwing synchronously', async () => {
      const doc = freshDoc();
      let returned: Promise<void> | undefined;
      expect(() => {
        returned = a.publish({ kind: 'update', node: a.nodeId, doc, seq: 1, update: new Uint8Array([1]) });
      }).not.toThrow();
      await returned;
    });
  });
}

function freshDoc(): DocName {
  return docName(newId(), 'log');
}

function seqOf(m: FanoutMessage): number {
  if (m.kind !== 'update') throw new Error(`expected an update, got ${m.kind}`);
  return m.seq;
}

const WAIT_MS = 5_000;

/** Collects what a handler receives; next() resolves with the next message, in arrival order. */
export class Inbox {
  readonly received: FanoutMessage[] = [];
  private read = 0;
  private waiter: (() => void) | null = null;

  readonly handler = (message: FanoutMessage): void => {
    this.received.push(message);
    this.waiter?.();
  };

  async next(): Promise<FanoutMessage> {
    if (this.read >= this.received.length) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message within ${WAIT_MS} ms (received ${this.received.length})`)), WAIT_MS);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
    return this.received[this.read++]!;
  }
}
