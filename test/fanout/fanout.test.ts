import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { InProcessBus, InProcessFanout } from '../../server/fanout/inProcessFanout';
import { RedisFanout, type LinkRole, type RedisFanoutOptions } from '../../server/fanout/redisFanout';
import { FanoutDecodeError, decodeFanoutMessage, encodeFanoutMessage } from '../../server/fanout/fanoutCodec';
import type { FanoutMessage } from '../../server/fanout/fanout';
import { describeFanoutContract, Inbox } from '../contracts/fanout.contract';
import { describeWithService, redisUrl } from '../helpers/services';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { within as withinDeadline } from '../helpers/poll';

const tag = (): string => randomBytes(4).toString('hex');
const freshDoc = (): DocName => docName(newId(), 'log');

describeFanoutContract('InProcessFanout', async () => {
  const bus = new InProcessBus();
  const a = new InProcessFanout(`node-a-${tag()}`, bus);
  const b = new InProcessFanout(`node-b-${tag()}`, bus);
  return [a, b, async () => Promise.all([a.close(), b.close()]).then(() => undefined)];
});

describe('fanoutCodec', () => {
  const doc = docName('abcdefgh12345678', 'tasks');
  const update: FanoutMessage = { kind: 'update', node: 'node-1', doc, seq: 123_456_789, update: Uint8Array.from([0, 1, 127, 128, 255]) };
  const awareness: FanoutMessage = { kind: 'awareness', node: 'nœud-é', doc, update: Uint8Array.from([9, 8, 7]) };

  it('round-trips updates and awareness exactly, with a small header', () => {
    for (const m of [update, awareness]) {
      const bytes = encodeFanoutMessage(m);
      expect(decodeFanoutMessage(bytes)).toEqual(m);
      expect(bytes.byteLength - m.update.byteLength).toBeLessThan(48);
    }
  });

  it('decodes from a view into a larger buffer and copies the update out of it', () => {
    const bytes = encodeFanoutMessage(update);
    const backing = new Uint8Array(bytes.byteLength + 20).fill(0xee);
    backing.set(bytes, 10);
    const decoded = decodeFanoutMessage(backing.subarray(10, 10 + bytes.byteLength));
    expect(decoded).toEqual(update);
    expect(decoded.update.buffer).not.toBe(backing.buffer);
  });

  it('rejects every truncation, and junk, by throwing FanoutDecodeError', () => {
    const bytes = encodeFanoutMessage(update);
    const headerLength = bytes.byteLength - update.update.byteLength;
    // Cut anywhere inside the header (past it, a shorter update is still a valid message).
    for (let n = 0; n < headerLength; n++) expect(() => decodeFanoutMessage(bytes.subarray(0, n))).toThrow(FanoutDecodeError);
    expect(() => decodeFanoutMessage(new TextEncoder().encode('{"kind":"update"}'))).toThrow(FanoutDecodeError);
    expect(() => decodeFanoutMessage(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow(FanoutDecodeError);
  });

  it('rejects an unknown format or kind, a bad document name, node id or seq', () => {
    const good = encodeFanoutMessage(update);
    const withFormat = Uint8Array.from(good);
    withFormat[0] = 2;
    expect(() => decodeFanoutMessage(withFormat)).toThrow(/format/);
    const withKind = Uint8Array.from(good);
    withKind[1] = 7;
    expect(() => decodeFanoutMessage(withKind)).toThrow(/kind/);
    expect(() => decodeFanoutMessage(encodeFanoutMessage({ ...update, doc: 'not a doc' as DocName }))).toThrow(/document/);
    expect(() => decodeFanoutMessage(encodeFanoutMessage({ ...update, node: '' }))).toThrow(/node/);
    // seq 0 cannot be encoded, so forge it: same header with a 0 where the seq goes.
    const zeroSeq = encodeFanoutMessage({ ...update, seq: 1 });
    zeroSeq[zeroSeq.byteLength - update.update.byteLength - 1] = 0;
    expect(() => decodeFanoutMessage(zeroSeq)).toThrow(/seq/);
  });

  it('refuses to encode a seq it could not carry', () => {
    for (const seq of [0, -1, 1.5, Number.NaN, 2 ** 60]) expect(() => encodeFanoutMessage({ ...update, seq })).toThrow(RangeError);
  });
});

describeWithService('Redis', 'RedisFanout', () => {
  const url = redisUrl();

  async function connectNode(label: string, prefix: string, opts: RedisFanoutOptions = {}, at = url): Promise<RedisFanout> {
    return RedisFanout.connect(at, `${label}-${tag()}`, { channelPrefix: prefix, ...opts });
  }

  describeFanoutContract('RedisFanout', async () => {
    const prefix = `test-${tag()}:`;
    const a = await connectNode('node-a', prefix);
    const b = await connectNode('node-b', prefix);
    return [a, b, async () => Promise.all([a.close(), b.close()]).then(() => undefined)];
  });

  describe('Redis specifics', () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()!();
    });

    async function node(label: string, prefix: string, opts: RedisFanoutOptions = {}, at = url): Promise<RedisFanout> {
      const fanout = await connectNode(label, prefix, opts, at);
      cleanups.push(() => fanout.close());
      return fanout;
    }

    async function rawClient() {
      const client = createClient({ url });
      client.on('error', () => undefined);
      await client.connect();
      cleanups.push(() => client.close());
      return client;
    }

    it('drops payloads it cannot decode, or that name another document, and keeps delivering', async () => {
      const prefix = `test-${tag()}:`;
      const reported: Error[] = [];
      const a = await node('node-a', prefix);
      const b = await node('node-b', prefix, { onError: (err) => reported.push(err) });
      const doc = freshDoc();
      const inbox = new Inbox();
      await b.subscribe(doc, inbox.handler);
      const raw = await rawClient();
      await raw.publish(`${prefix}doc:${doc}`, Buffer.from('not a fan-out message'));
      const misfiled = encodeFanoutMessage({ kind: 'update', node: 'elsewhere', doc: freshDoc(), seq: 1, update: new Uint8Array([1]) });
      await raw.publish(`${prefix}doc:${doc}`, Buffer.from(misfiled));
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 7, update: new Uint8Array([7]) });
      expect(await inbox.next()).toMatchObject({ seq: 7, node: a.nodeId });
      expect(inbox.received).toHaveLength(1);
      expect(reported.some((e) => e instanceof FanoutDecodeError)).toBe(true);
    });

    it('keeps delivering to the other handlers when one throws', async () => {
      const prefix = `test-${tag()}:`;
      const a = await node('node-a', prefix);
      const b = await node('node-b', prefix, { onError: () => undefined });
      const doc = freshDoc();
      const inbox = new Inbox();
      await b.subscribe(doc, () => {
        throw new Error('handler bug');
      });
      await b.subscribe(doc, inbox.handler);
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 1, update: new Uint8Array([1]) });
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 2, update: new Uint8Array([2]) });
      expect([(await inbox.next()).node, (await inbox.next()).node]).toEqual([a.nodeId, a.nodeId]);
    });

    it('resyncs when its subscriber connection comes back, not on the first connection', async () => {
      const prefix = `test-${tag()}:`;
      const a = await node('node-a', prefix);
      const b = await node('node-b', prefix);
      let resyncs = 0;
      const resynced = new Promise<void>((resolve) =>
        b.onResync(() => {
          resyncs += 1;
          resolve();
        }),
      );
      const doc = freshDoc();
      const inbox = new Inbox();
      await b.subscribe(doc, inbox.handler);
      expect(resyncs).toBe(0);

      const raw = await rawClient();
      const clients = String(await raw.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
      const line = clients.split('\n').find((l) => l.includes(` name=crisis-cell:${b.nodeId}:sub `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await raw.sendCommand(['CLIENT', 'KILL', 'ID', id!]);

      await within(resynced, 'the resync');
      expect(resyncs).toBe(1);
      // Resubscribed before the resync: messages flow again.
      await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 2, update: new Uint8Array([2]) });
      expect(seqOf(await inbox.next())).toBe(2);
    });

    describe('through a proxy that can play Redis going down', () => {
      let proxy: FlakyProxy;
      beforeEach(async () => {
        const target = new URL(url);
        proxy = new FlakyProxy(target.hostname, Number(target.port || 6379));
        await proxy.start();
        cleanups.push(() => proxy.stop());
      });

      it('fails fast while Redis is down, recovers by itself, resubscribes and resyncs', async () => {
        const prefix = `test-${tag()}:`;
        const a = await node('node-a', prefix);
        const links = new LinkWatch();
        const reported: Error[] = [];
        const b = await node('node-b', prefix, { onConnectionChange: links.onChange, onError: (err) => reported.push(err) }, proxy.url);
        const resynced = new Promise<void>((resolve) => b.onResync(resolve));
        const doc = freshDoc();
        const inbox = new Inbox();
        await b.subscribe(doc, inbox.handler);

        await proxy.stop();
        await within(Promise.all([links.until('publisher', false), links.until('subscriber', false)]), 'both connections to notice the outage');
        expect(reported.length).toBeGreaterThan(0);

        // Down: publish rejects while Redis is still away (no offline queue, which would hold it
        // until Redis came back: the deadline would fail it).
        await within(expect(b.publish({ kind: 'update', node: b.nodeId, doc, seq: 1, update: new Uint8Array([1]) })).rejects.toThrow(), 'publish to be refused while Redis is down');
        // A room loading meanwhile is not held up by its subscription.
        const lateDoc = freshDoc();
        const lateInbox = new Inbox();
        await b.subscribe(lateDoc, lateInbox.handler);
        // Lost while B is away: what onResync is for.
        await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 2, update: new Uint8Array([2]) });

        await proxy.start();
        await within(resynced, 'the resync');
        // Waits for the SUBSCRIBE queued during the outage to be confirmed.
        await b.subscribe(lateDoc, () => undefined);
        await a.publish({ kind: 'update', node: a.nodeId, doc, seq: 3, update: new Uint8Array([3]) });
        await a.publish({ kind: 'update', node: a.nodeId, doc: lateDoc, seq: 1, update: new Uint8Array([4]) });
        expect(seqOf(await inbox.next())).toBe(3);
        expect(seqOf(await lateInbox.next())).toBe(1);
        // The publisher reconnects on its own schedule; once it is up, publishing works again.
        await within(links.until('publisher', true), 'the publisher to reconnect');
        await b.publish({ kind: 'update', node: b.nodeId, doc, seq: 4, update: new Uint8Array([5]) });
      });

      it('closes promptly while Redis is down', async () => {
        const b = await RedisFanout.connect(proxy.url, `node-b-${tag()}`, { channelPrefix: `test-${tag()}:` });
        await b.subscribe(freshDoc(), () => undefined);
        await proxy.stop();
        // Closed while Redis is still away: close does not wait for it to come back.
        await within(b.close(), 'close while Redis is down');
        await within(b.close(), 'a second close');
      });
    });

    it('rejects connect() when Redis cannot be reached at start', async () => {
      await within(expect(RedisFanout.connect('redis://127.0.0.1:1', `node-${tag()}`, { connectTimeoutMs: 300 })).rejects.toThrow(/unreachable/), 'connect() to give up');
    });
  });
});

/** Fails with a clear message instead of running into jest's 60 s timeout. */
function within<T>(promise: Promise<T>, label: string, ms = 5_000): Promise<T> {
  return withinDeadline(promise, ms, `timed out after ${ms} ms waiting for ${label}`);
}

function seqOf(m: FanoutMessage): number {
  if (m.kind !== 'update') throw new Error(`expected an update, got ${m.kind}`);
  return m.seq;
}

/** Follows RedisFanout's connection changes; until() resolves once a role is in the given state. */
class LinkWatch {
  private readonly state = new Map<LinkRole, boolean>();
  private readonly waiters: Array<() => void> = [];

  readonly onChange = ({ role, up }: { role: LinkRole; up: boolean }): void => {
    this.state.set(role, up);
    for (const wake of this.waiters.splice(0)) wake();
  };

  async until(role: LinkRole, up: boolean): Promise<void> {
    while (this.state.get(role) !== up) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** A TCP relay to Redis that can be cut and restored on the same port, like a Redis restart. */
class FlakyProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = net.createServer((inbound) => {
      const outbound = net.connect({ host: this.host, port: this.targetPort });
      for (const s of [inbound, outbound]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
