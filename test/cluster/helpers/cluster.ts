import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import * as Y from 'yjs';
import { freePort, startServerProcess, type ServerProcess } from '../../helpers/serverProcess';
import { postgresUrl, redisUrl } from '../../helpers/services';
import { onTeardown, tempDir } from '../../helpers/testServer';
import { adminToken, forgetWorld, linkWorlds } from '../../helpers/accounts';
import { poll, until } from '../../helpers/poll';
import { LogDoc } from '../../../shared/docs/logDoc';
import type { DocName } from '../../../shared/model/parts';

/**
 * What the nodes of one test file share: a PostgreSQL schema and a Redis channel prefix of their
 * own, so files running in parallel (or another run on the same machine) never see each other.
 */
export interface ClusterScope {
  schema: string;
  redisPrefix: string;
  /** The PostgreSQL the nodes share: the machine's, or a disposable one an outage test owns. */
  databaseUrl: string;
  /** Drops the schema (journal triggers refuse DELETE/TRUNCATE, not DROP SCHEMA ... CASCADE). */
  drop(): Promise<void>;
}

export function clusterScope(label: string, databaseUrl: string = postgresUrl()): ClusterScope {
  const tag = randomBytes(5).toString('hex');
  const schema = `cluster_${label}_${tag}`;
  return {
    schema,
    redisPrefix: `test-cluster:${label}:${tag}:`,
    databaseUrl,
    drop: () => withPg(null, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined), databaseUrl),
  };
}

export interface ClusterNode extends ServerProcess {
  name: string;
}

/**
 * Starts `count` server nodes, each a separate process on its own port, configured only through
 * the environment as in production: the same PostgreSQL schema and Redis prefix, distinct
 * NODE_IDs. Killed at teardown.
 *
 * Every node is given the test administrator (ADMIN_EMAIL/ADMIN_PASSWORD); the first node's
 * first start creates it in the shared database, the others find it there. The nodes are one
 * set of accounts, so the helpers treat them as one server: `connectClient(nodes[1].url, 'Alice')`
 * is the same Alice, member of the incidents `createIncident(nodes[0].url)` made.
 */
export async function startNodes(scope: ClusterScope, count: number, options: { redisUrls?: Array<string | undefined>; env?: Array<Record<string, string> | undefined> } = {}): Promise<ClusterNode[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const redisFor = (i: number) => options.redisUrls?.[i] ?? redisUrl();
  const envFor = (i: number) => options.env?.[i] ?? {};
  // The first node creates the schema; the others start once it exists (they would take turns anyway).
  const first = await startNode(scope, 'node-1', ports[0]!, redisFor(0), envFor(0));
  const rest = await Promise.all(ports.slice(1).map((port, i) => startNode(scope, `node-${i + 2}`, port, redisFor(i + 1), envFor(i + 1))));
  const nodes = [first, ...rest];
  shareAccounts(nodes.map((n) => n.url));
  return nodes;
}

/**
 * Makes the test helpers treat `urls` (nodes on one database, or a load balancer in front of
 * them) as one server for accounts and incident memberships; forgotten at teardown.
 */
export function shareAccounts(urls: string[]): void {
  const [primary, ...others] = urls;
  if (primary === undefined) return;
  linkWorlds(primary, ...others);
  onTeardown(() => {
    for (const url of urls) forgetWorld(url);
  });
}

async function startNode(scope: ClusterScope, name: string, port: number, redis: string, extraEnv: Record<string, string>): Promise<ClusterNode> {
  const proc = await startServerProcess({
    dataDir: tempDir('crisis-cluster-'),
    port,
    startTimeoutMs: 45_000,
    env: {
      NODE_ID: name,
      DATABASE_URL: scope.databaseUrl,
      DATABASE_SCHEMA: scope.schema,
      REDIS_URL: redis,
      REDIS_PREFIX: scope.redisPrefix,
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
  });
  return Object.assign(proc, { name });
}

/** Runs `fn` on a short-lived connection to `url` whose search_path is `schema` (null: the default). */
export async function withPg<T>(schema: string | null, fn: (client: Client) => Promise<T>, url: string = postgresUrl()): Promise<T> {
  const client = new Client({ connectionString: url, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface JournalView {
  seqs: number[];
  /** Log entry ids of the document replayed from the journal alone. */
  logIds: string[];
}

/** Reads a log document's journal straight from PostgreSQL and replays it. */
export async function readLogJournal(scope: ClusterScope, doc: DocName): Promise<JournalView> {
  const rows = await withPg(scope.schema, async (c) => (await c.query<{ seq: string; update_bytes: Buffer }>('SELECT seq, update_bytes FROM journal WHERE doc = $1 ORDER BY seq', [doc])).rows, scope.databaseUrl);
  const replay = new Y.Doc();
  for (const r of rows) Y.applyUpdate(replay, new Uint8Array(r.update_bytes));
  return { seqs: rows.map((r) => Number(r.seq)), logIds: new LogDoc(replay).entries().map((e) => e.id) };
}

/** 1..n: what a gap-free journal's seqs must be. */
export function oneTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** A node's /metrics (administrators only) as a map from `name{labels}` (labels as printed) to value. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${await adminToken(url)}` } });
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/** Polls (metrics have no push) until `predicate` holds for a node's metrics, or fails with the last scrape. */
export async function untilMetrics(url: string, predicate: (m: Map<string, number>) => boolean, label: string, timeoutMs = 15_000): Promise<Map<string, number>> {
  let last = new Map<string, number>();
  const explain = () => `at ${url}: ${JSON.stringify(Object.fromEntries([...last].filter(([k]) => k.startsWith('crisis_'))))}`;
  return poll(async () => (last = await scrapeMetrics(url)), predicate, { label, timeoutMs, intervalMs: 100, explain });
}

/** Polls a node's log output until `predicate` holds for it (a process's stdout has no other event). */
export async function untilOutput(node: ServerProcess, predicate: (output: string) => boolean, label: string, timeoutMs = 20_000): Promise<void> {
  const explain = () => `last output:\n${node.output().split('\n').slice(-20).join('\n')}`;
  await until(() => predicate(node.output()), label, { timeoutMs, explain });
}

/** What the last "Redis link up/down" line of a node's output says of its `role` connection (null: none yet). */
export function lastRedisLink(output: string, role: 'publisher' | 'subscriber'): 'up' | 'down' | null {
  let last: 'up' | 'down' | null = null;
  for (const line of output.split('\n')) {
    if (line.includes('Redis link') && line.includes(`"role":"${role}"`)) last = line.includes('"up":true') ? 'up' : 'down';
  }
  return last;
}
