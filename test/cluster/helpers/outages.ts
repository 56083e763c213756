import net from 'node:net';
import { type DisposablePostgres, type DisposableService, fileTeardown, startDisposablePostgres, startDisposableRedis } from '../../helpers/disposableServices';

/**
 * Deliberate outages under a cluster. They never touch the machine's PostgreSQL or Redis: a test
 * that stops a service stops one it started (a disposable instance, test/helpers/
 * disposableServices.ts), and a test that cuts one node off cuts a TcpLoadBalancer of its own.
 */

export interface OutageServices {
  /** The nodes' PostgreSQL: stop/start it at will; its data survives a stop. */
  readonly postgres: DisposablePostgres;
  /** The nodes' Redis: a stop loses whatever it held, as a crash would. */
  readonly redis: DisposableService;
}

/**
 * Call in a describe: a disposable PostgreSQL and Redis, started before the file's tests (one
 * initdb per file) and thrown away after them. Give the nodes `clusterScope(label,
 * services.postgres.url)` and `redisUrls` of `services.redis.url`.
 */
export function outageServices(): OutageServices {
  const register = fileTeardown();
  let postgres: DisposablePostgres | null = null;
  let redis: DisposableService | null = null;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startDisposablePostgres(register), startDisposableRedis(register)]);
  }, 60_000);
  const ready = <T>(service: T | null, name: string): T => {
    if (!service) throw new Error(`the disposable ${name} is not started yet (use it inside a test)`);
    return service;
  };
  return {
    get postgres() {
      return ready(postgres, 'PostgreSQL');
    },
    get redis() {
      return ready(redis, 'Redis');
    },
  };
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
