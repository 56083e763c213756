import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { spawnServer, type ServerProcess, type SpawnOptions } from './serverProcess';

/** Where the shared services are: the environment, else the machine's defaults. */
export function serviceUrls(): { databaseUrl: string; redisUrl: string } {
  return {
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  };
}

export interface BenchCluster {
  nodes: Array<ServerProcess & { name: string }>;
  schema: string;
  stop(): Promise<void>;
}

/**
 * `count` compiled server nodes, each its own process, sharing a fresh PostgreSQL schema and a
 * fresh Redis channel prefix (so a bench never reads an earlier run's journal). stop() ends the
 * nodes and drops the schema.
 */
export async function startBenchCluster(count: number, label: string, options: SpawnOptions = {}): Promise<BenchCluster> {
  const { databaseUrl, redisUrl } = serviceUrls();
  const tag = randomBytes(5).toString('hex');
  const schema = `bench_${label}_${tag}`;
  const env = { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, REDIS_URL: redisUrl, REDIS_PREFIX: `bench-${label}-${tag}:` };
  const nodes: BenchCluster['nodes'] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  try {
    // The first node creates the schema; the others then start together.
    nodes.push(Object.assign(await spawnServer({ ...env, NODE_ID: 'node-1' }, options), { name: 'node-1' }));
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => spawnServer({ ...env, NODE_ID: `node-${i + 2}` }, options)));
    rest.forEach((n, i) => nodes.push(Object.assign(n, { name: `node-${i + 2}` })));
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { nodes, schema, stop };
}
