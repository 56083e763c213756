import { createClient, type RedisClientType } from 'redis';
import type { DocName } from '../../shared/model/parts';
import type { Fanout, FanoutHandler, FanoutMessage } from './fanout';
import { decodeFanoutMessage, encodeFanoutMessage } from './fanoutCodec';

/** Plain commands only (no modules), RESP3, no type mapping: what both our clients are. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is redis's own "no modules, functions, scripts or type mapping"
type RedisClient = RedisClientType<{}, {}, {}, 3, {}>;

export interface RedisFanoutOptions {
  /** Prepended to every channel name; tests use a random one each. Default "crisis-cell:". */
  channelPrefix?: string;
  /** How long the first connection may take before connect() rejects: a node should fail to start, not hang. */
  connectTimeoutMs?: number;
  /**
   * Told about connection trouble (once per outage per connection) and dropped messages.
   * Informative only: nothing here is fatal, and the fan-out recovers by itself.
   */
  onError?: (err: Error) => void;
  /** Told when a connection is lost (once per outage) and each time it is ready again: for logs and health checks. */
  onConnectionChange?: (change: { role: LinkRole; up: boolean }) => void;
}

export type LinkRole = 'publisher' | 'subscriber';

const DEFAULT_PREFIX = 'crisis-cell:';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Reconnect backoff: doubles from 50 ms up to ~1 s, so a restarted Redis is found again quickly. */
const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 1_000;
const RECONNECT_JITTER_MS = 100;
/** close() waits this long for in-flight commands before cutting the connections. */
const CLOSE_GRACE_MS = 1_000;

/** One Redis channel (one document) and the handlers of this node on it. */
interface Channel {
  readonly name: string;
  readonly doc: DocName;
  /** One entry per subscribe() call, so subscribing one handler twice needs two unsubscribes. */
  readonly subscriptions: Set<{ readonly handler: FanoutHandler }>;
  /** The single listener registered with the client; it dispatches to `subscriptions`. */
  readonly listener: (payload: Buffer) => void;
  /** Settles once SUBSCRIBE is confirmed, or the channel is no longer wanted. */
  confirmed: Promise<void>;
}

/** What we know of one connection: whether it was ever ready, is up now, and already reported an error. */
interface LinkState {
  everReady: boolean;
  up: boolean;
  reportedError: boolean;
}

/**
 * Fan-out through Redis pub/sub, one channel per document, binary payloads (fanoutCodec).
 * Two connections, because a subscribed connection cannot publish: the publisher fails fast
 * when Redis is away (no offline queue: a stale update published minutes later is worthless,
 * the journal has it), while the subscriber reconnects and resubscribes by itself. Messages
 * published while the subscriber was away are lost, so its comeback fires onResync and rooms
 * catch up from the journal.
 */
export class RedisFanout implements Fanout {
  readonly kind = 'redis' as const;
  private readonly channels = new Map<string, Channel>();
  private readonly resyncListeners: Array<() => void> = [];
  /** Woken when the subscriber connection goes down; see untilSubscriberDownOr. */
  private readonly downWaiters = new Set<() => void>();
  private subscriberUp = false;
  private closed = false;

  private constructor(
    readonly nodeId: string,
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly report: (err: Error) => void,
    private readonly notify: NonNullable<RedisFanoutOptions['onConnectionChange']>,
  ) {}

  static async connect(url: string, nodeId: string, opts: RedisFanoutOptions = {}): Promise<RedisFanout> {
    const deadline = Date.now() + (opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    const pubLink: LinkState = { everReady: false, up: false, reportedError: false };
    const subLink: LinkState = { everReady: false, up: false, reportedError: false };
    const publisher = createClient({
      url,
      name: clientName(nodeId, 'pub'),
      disableOfflineQueue: true,
      socket: { reconnectStrategy: backoff(pubLink, deadline) },
    });
    // The subscriber keeps its offline queue: a SUBSCRIBE issued during an outage goes out on reconnect.
    const subscriber = publisher.duplicate({
      name: clientName(nodeId, 'sub'),
      disableOfflineQueue: false,
      socket: { reconnectStrategy: backoff(subLink, deadline) },
    });
    const fanout = new RedisFanout(
      nodeId,
      publisher,
      subscriber,
      opts.channelPrefix ?? DEFAULT_PREFIX,
      opts.onError ?? (() => undefined),
      opts.onConnectionChange ?? (() => undefined),
    );
    fanout.watch(publisher, pubLink, 'publisher');
    fanout.watch(subscriber, subLink, 'subscriber');
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (err) {
      publisher.destroy();
      subscriber.destroy();
      throw err;
    }
    return fanout;
  }

  async publish(message: FanoutMessage): Promise<void> {
    if (this.closed) throw new Error('fan-out closed');
    const payload = encodeFanoutMessage(message);
    // Rejects at once while disconnected (no offline queue) and after the client's command
    // timeout if Redis hangs.
    await this.publisher.publish(this.channelName(message.doc), Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  }

  /**
   * Resolves once the subscription is live, or at once while Redis is unreachable: the room
   * must load anyway, and the resync after the reconnect makes up for what it missed.
   */
  async subscribe(doc: DocName, handler: FanoutHandler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('fan-out closed');
    const name = this.channelName(doc);
    const channel = this.channels.get(name) ?? this.openChannel(name, doc);
    const subscription = { handler };
    channel.subscriptions.add(subscription);
    try {
      await this.untilSubscriberDownOr(channel.confirmed);
    } catch (err) {
      channel.subscriptions.delete(subscription);
      throw err;
    }
    return async () => {
      if (!channel.subscriptions.delete(subscription) || channel.subscriptions.size > 0) return;
      if (this.channels.get(name) === channel) this.channels.delete(name);
      // Only after SUBSCRIBE settled, so the client never keeps a listener we let go of.
      const unsubscribed = channel.confirmed
        .catch(() => undefined)
        .then(() => (this.closed ? undefined : this.subscriber.unsubscribe(name, channel.listener, true)));
      await this.untilSubscriberDownOr(unsubscribed);
    };
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    this.resyncListeners.length = 0;
    this.markSubscriberDown();
    await Promise.all([shutdown(this.publisher), shutdown(this.subscriber)]);
  }

  private channelName(doc: DocName): string {
    return `${this.prefix}doc:${doc}`;
  }

  private openChannel(name: string, doc: DocName): Channel {
    const channel: Channel = {
      name,
      doc,
      subscriptions: new Set(),
      listener: (payload) => this.deliver(channel, payload),
      confirmed: Promise.resolve(),
    };
    channel.confirmed = this.keepSubscribed(channel);
    channel.confirmed.catch((err: unknown) => {
      // Refused for good: forget the channel so a later subscribe tries afresh. Reported here
      // because nobody may be waiting (subscribe returns early during an outage).
      if (this.channels.get(name) === channel) this.channels.delete(name);
      this.report(asError(err));
    });
    this.channels.set(name, channel);
    return channel;
  }

  /**
   * SUBSCRIBE, again if the connection dropped before Redis confirmed it (the client only
   * resubscribes confirmed channels on reconnect). Other failures (e.g. an ACL refusal) reject.
   */
  private async keepSubscribed(channel: Channel): Promise<void> {
    for (;;) {
      try {
        await this.subscriber.subscribe(channel.name, channel.listener, true);
        return;
      } catch (err) {
        if (this.closed || this.channels.get(channel.name) !== channel) return;
        if (this.subscriber.isReady || !this.subscriber.isOpen) throw err;
        // Disconnected: the retry waits in the offline queue until the connection is back.
      }
    }
  }

  private deliver(channel: Channel, payload: Buffer): void {
    // Messages already read off the socket may still arrive during close().
    if (this.closed) return;
    let message: FanoutMessage;
    try {
      message = decodeFanoutMessage(payload);
    } catch (err) {
      // Someone else's traffic on our channel, or a newer format mid-upgrade: drop it.
      this.report(asError(err));
      return;
    }
    if (message.node === this.nodeId || message.doc !== channel.doc) return;
    for (const { handler } of [...channel.subscriptions]) {
      // A throwing handler must not reach the client's reply parser, which would reset the connection.
      try {
        handler(message);
      } catch (err) {
        this.report(asError(err));
      }
    }
  }

  private watch(client: RedisClient, link: LinkState, role: LinkRole): void {
    // Without an 'error' listener, a Redis restart would be an unhandled 'error' event and end the process.
    client.on('error', (err: unknown) => {
      // While reconnecting, every failed attempt is an error: report the first of an outage only.
      if (link.reportedError) return;
      link.reportedError = true;
      this.report(new Error(`Redis ${role} connection: ${asError(err).message}`, { cause: err }));
    });
    // Emitted once the connection is lost, then after every failed attempt.
    client.on('reconnecting', () => {
      if (role === 'subscriber') this.markSubscriberDown();
      if (!link.up) return;
      link.up = false;
      this.notify({ role, up: false });
    });
    client.on('ready', () => {
      const comeback = link.everReady;
      link.everReady = true;
      link.up = true;
      link.reportedError = false;
      this.notify({ role, up: true });
      if (role !== 'subscriber') return;
      this.subscriberUp = true;
      // The client has already resubscribed every confirmed channel before 'ready'.
      if (comeback && !this.closed) this.resync();
    });
  }

  private resync(): void {
    for (const listener of [...this.resyncListeners]) {
      try {
        listener();
      } catch (err) {
        this.report(asError(err));
      }
    }
  }

  private markSubscriberDown(): void {
    this.subscriberUp = false;
    for (const wake of this.downWaiters) wake();
    this.downWaiters.clear();
  }

  /** Waits for `work`, but no longer than the subscriber connection stays up. */
  private async untilSubscriberDownOr(work: Promise<unknown>): Promise<void> {
    if (!this.subscriberUp) {
      work.catch(() => undefined);
      return;
    }
    let wake = (): void => undefined;
    const down = new Promise<void>((resolve) => {
      wake = resolve;
      this.downWaiters.add(resolve);
    });
    try {
      await Promise.race([work, down]);
    } finally {
      this.downWaiters.delete(wake);
      work.catch(() => undefined);
    }
  }
}

/** Exponential backoff capped at ~1 s once connected; the very first connection gives up at `deadline`. */
function backoff(link: LinkState, deadline: number): (retries: number, cause: Error) => number | Error {
  return (retries, cause) => {
    if (!link.everReady && Date.now() >= deadline) return new Error(`Redis unreachable: ${cause.message}`, { cause });
    return Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** retries) + Math.floor(Math.random() * RECONNECT_JITTER_MS);
  };
}

/** Shown by CLIENT LIST, so an operator can tell which node holds which connection. */
function clientName(nodeId: string, role: 'pub' | 'sub'): string {
  return `crisis-cell:${nodeId.replace(/[^\w.:-]/g, '_')}:${role}`;
}

/** Graceful when connected; immediate when Redis is away, where a graceful close would wait forever. */
async function shutdown(client: RedisClient): Promise<void> {
  if (!client.isReady) {
    client.destroy();
    return;
  }
  const timer = setTimeout(() => client.destroy(), CLOSE_GRACE_MS);
  try {
    await client.close();
  } catch {
    client.destroy();
  } finally {
    clearTimeout(timer);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
