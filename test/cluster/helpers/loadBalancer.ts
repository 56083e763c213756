import net from 'node:net';
import { onTeardown } from '../../helpers/testServer';

export interface Backend {
  name: string;
  port: number;
}

interface Route {
  backend: string;
  /** The `client` query parameter of the HTTP request that opened the connection, if any. */
  label: string | null;
}

/**
 * A TCP load balancer in front of the nodes, as production has nginx in front of them: each new
 * connection goes round-robin to the next backend that accepts it; when a backend dies, its
 * connections are cut and the clients' own reconnects land on the live ones. The SDK speaks
 * websocket only, so a connection is a whole session and no stickiness is needed.
 *
 * It only peeks at the first request line (for bookkeeping: which client is on which node,
 * from a `client` query parameter the tests add); it never rewrites a byte.
 */
export class TcpLoadBalancer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly routes = new Map<net.Socket, Route>();
  private next = 0;
  private refusing = false;
  port = 0;

  private constructor(private readonly backends: Backend[]) {}

  /** Listens on a free loopback port; closed at teardown. */
  static async start(backends: Backend[]): Promise<TcpLoadBalancer> {
    const lb = new TcpLoadBalancer(backends);
    await new Promise<void>((resolve, reject) => {
      lb.server.once('error', reject);
      lb.server.listen(0, '127.0.0.1', () => resolve());
    });
    lb.port = (lb.server.address() as net.AddressInfo).port;
    onTeardown(() => lb.close());
    return lb;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The backend currently carrying the connection of the client labelled `label`. */
  backendOf(label: string): string | undefined {
    let found: string | undefined;
    for (const route of this.routes.values()) if (route.label === label) found = route.backend;
    return found;
  }

  /** Open connections per backend. */
  counts(): Record<string, number> {
    const out: Record<string, number> = Object.fromEntries(this.backends.map((b) => [b.name, 0]));
    for (const route of this.routes.values()) out[route.backend] = (out[route.backend] ?? 0) + 1;
    return out;
  }

  /** A network partition: every connection through here is cut, and new ones are refused until restore(). */
  cut(): void {
    this.refusing = true;
    for (const socket of this.routes.keys()) socket.destroy();
  }

  restore(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    for (const socket of this.routes.keys()) socket.destroy();
    this.routes.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    // Bytes that arrive before the backend connection is up wait here, in order.
    const early: Buffer[] = [];
    let label: string | null | undefined;
    const hold = (chunk: Buffer) => {
      early.push(chunk);
      label ??= labelOf(chunk);
    };
    client.on('data', hold);
    client.on('error', () => client.destroy());
    const start = this.next++ % this.backends.length;
    const attempt = (tried: number): void => {
      if (client.destroyed) return;
      if (tried === this.backends.length) {
        client.destroy();
        return;
      }
      const backend = this.backends[(start + tried) % this.backends.length]!;
      const upstream = net.connect({ host: '127.0.0.1', port: backend.port });
      upstream.once('error', () => {
        upstream.destroy();
        // Refused (node down): the next backend gets this connection.
        if (!connected) attempt(tried + 1);
        else client.destroy();
      });
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.off('data', hold);
        for (const chunk of early) upstream.write(chunk);
        client.pipe(upstream);
        upstream.pipe(client);
        const route: Route = { backend: backend.name, label: label ?? null };
        this.routes.set(client, route);
        // A late first chunk still names the client.
        if (label === undefined) client.once('data', (chunk: Buffer) => (route.label = labelOf(chunk)));
        const end = () => {
          this.routes.delete(client);
          client.destroy();
          upstream.destroy();
        };
        upstream.once('close', end);
        client.once('close', end);
      });
    };
    attempt(0);
  }
}

/** The `client` query parameter of an HTTP request line such as `GET /socket.io/?client=a&EIO=4 HTTP/1.1`. */
function labelOf(chunk: Buffer): string | null {
  const line = chunk.toString('latin1', 0, Math.min(chunk.length, 2048)).split('\r\n', 1)[0] ?? '';
  const target = line.split(' ')[1];
  if (!target) return null;
  return new URL(target, 'http://x').searchParams.get('client');
}
