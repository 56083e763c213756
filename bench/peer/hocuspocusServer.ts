/**
 * The peer of the `peer` bench: a Hocuspocus server as its users run it (pinned version, see
 * package.json devDependencies), with its SQLite extension writing to a temporary file and, for
 * several nodes, its Redis extension under a prefix of its own (never flushing anything). Its
 * own process, so its CPU and memory are measured apart from the clients'. Default settings
 * otherwise: the SQLite extension stores after its debounce, as shipped.
 *
 * Env: PORT, HP_DATABASE (SQLite file), HP_REDIS_URL + HP_REDIS_PREFIX (optional), HP_NODE.
 * Tells its parent `{ ready: true }` over IPC once it listens.
 */
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Redis } from '@hocuspocus/extension-redis';

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const database = process.env.HP_DATABASE;
  if (!Number.isInteger(port) || !database) throw new Error('BENCH_PEER_ENV: PORT and HP_DATABASE are required');
  const extensions: Array<SQLite | Redis> = [new SQLite({ database })];
  if (process.env.HP_REDIS_URL) {
    const url = new URL(process.env.HP_REDIS_URL);
    extensions.push(
      new Redis({
        host: url.hostname,
        port: Number(url.port || 6379),
        prefix: process.env.HP_REDIS_PREFIX ?? 'hocuspocus-bench',
        identifier: `node-${process.env.HP_NODE ?? '0'}`,
      }),
    );
  }
  const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: false, extensions });
  await server.listen();
  process.send?.({ ready: true });
  const stop = () => void server.destroy().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((err: unknown) => {
  process.send?.({ error: String(err) });
  process.exit(1);
});
