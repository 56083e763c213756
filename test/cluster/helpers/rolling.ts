import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CrisisClient } from '../../../client/sdk/crisisClient';
import type { IncidentState } from '../../../shared/model/incident';
import { TEST_ADMIN, TEST_PASSWORD, adminToken, createIncidentAsAdmin, createUser, forgetWorld, setRole } from '../../helpers/accounts';
import { launchChromium } from '../../browser/harness';
import { freeLoopbackPort, startNginx, type NginxProcess } from './nginx';
import { NodeProcess, type NodeEntry } from './nodeProcess';
import { createScratchDatabase, type ScratchDatabase } from './scratchDatabase';
import { WriterLoad, type SdkMember } from './rollingLoad';
import { currentStatus, openWatchedPage, pageLog, type PageRole, type StatusChange, type WatchedPage } from './rollingPages';
import { rollingReport, type Convergence, type FinalView, type RestartRecord, type RollingReport } from './rollingReport';
import { expectedTail, hasAll, isTailOf, sameList } from './rollingLogs';
import { until as pollUntil } from '../../helpers/poll';

/**
 * The rolling upgrade, as an operator runs it: three nodes (separate processes) on a
 * PostgreSQL database of their own and the shared Redis (a channel prefix of their own), behind
 * the shipped deploy/nginx.conf run by nginx; writers (SDK over websocket, REST posters) and
 * Chromium pages (a member, a director, the management wall), all through nginx. Each node is
 * restarted in turn with SIGTERM (the next once it is back and every client is served again),
 * then one more with kill -9. The test (test/cluster/rollingUpgrade.test.ts) asserts on what
 * this records; the bench (bench/rolling.ts) prints its figures.
 *
 * No jest in here: every resource is registered with `close()`, which the caller must call.
 */

export interface RollingOptions {
  entry: NodeEntry;
  /** The built browser client (scripts/build-web.mjs), served by the nodes. */
  webRoot: string;
  /** PostgreSQL server (a scratch database is made on it) and Redis. */
  databaseServerUrl: string;
  redisUrl: string;
  sdkWriters: number;
  restWriters: number;
  /** Each writer's pause between an acknowledgement and its next entry. */
  paceMs: number;
  /** SHUTDOWN_GRACE_SECONDS of the nodes. */
  graceSeconds: number;
  /** Longest wait for any one step (a node back, every client served again, convergence). */
  stepTimeoutMs: number;
  log?: (line: string) => void;
}

type Step = () => boolean | Promise<boolean>;

/** Polls `check` (a process, a page or a REST state has no event to wait on); throws with `explain()` on timeout. */
export async function until(check: Step, label: string, timeoutMs: number, explain: () => string | Promise<string> = () => ''): Promise<void> {
  await pollUntil(check, label, { timeoutMs, explain });
}

export class RollingCluster {
  readonly tag = randomBytes(4).toString('hex');
  readonly nodes: NodeProcess[] = [];
  nginx!: NginxProcess;
  db!: ScratchDatabase;
  incidentId = '';
  readonly keyFile: string;
  readonly load: WriterLoad;
  readonly sdk: Array<SdkMember & { statuses: StatusChange[] }> = [];
  readonly pages: WatchedPage[] = [];
  readonly restarts: RestartRecord[] = [];
  convergence: Convergence | null = null;
  browser: Browser | null = null;
  private readonly cleanups: Array<() => Promise<void> | void> = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-rolling-'));
  /** Texts the pages posted at the end (member: a plain entry; director: a critical alert the wall shows). */
  readonly finalTexts: Record<'member' | 'director', string>;

  constructor(readonly opts: RollingOptions) {
    this.keyFile = path.join(this.dir, 'keys', 'checkpoint-key.pem');
    this.load = new WriterLoad({ paceMs: opts.paceMs, tag: this.tag });
    this.finalTexts = { member: `final entry from the member page ${this.tag}`, director: `final alert from the director page ${this.tag}` };
    this.cleanups.push(() => fs.rmSync(this.dir, { recursive: true, force: true }));
  }

  private log(line: string): void {
    this.opts.log?.(`[rolling ${new Date().toISOString().slice(11, 23)}] ${line}`);
  }

  get url(): string {
    return this.nginx.url;
  }

  /** Ends everything this run started, last first. Never throws. */
  async close(): Promise<void> {
    this.load.stop();
    while (this.cleanups.length > 0) {
      try {
        await this.cleanups.pop()!();
      } catch (err) {
        this.log(`cleanup failed: ${String(err)}`);
      }
    }
  }

  /** Database, nodes, nginx, accounts, the incident. */
  async start(): Promise<void> {
    this.db = await createScratchDatabase(this.opts.databaseServerUrl, 'rolling');
    this.cleanups.push(() => this.db.drop());
    const ports = await Promise.all([1, 2, 3].map(() => freeLoopbackPort()));
    const listenPort = await freeLoopbackPort();
    const publicUrl = `http://127.0.0.1:${listenPort}`;
    // As docker-compose.yml configures the nodes: behind a proxy, its public address, one shared key.
    const env: Record<string, string> = {
      DATABASE_URL: this.db.url,
      DATABASE_SCHEMA: '',
      REDIS_URL: this.opts.redisUrl,
      REDIS_PREFIX: `test-rolling:${this.tag}:`,
      TRUST_PROXY: 'true',
      PUBLIC_URL: publicUrl,
      CHECKPOINT_KEY_FILE: this.keyFile,
      SHUTDOWN_GRACE_SECONDS: String(this.opts.graceSeconds),
      WEB_ROOT: this.opts.webRoot,
      ADMIN_EMAIL: TEST_ADMIN.email,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'info',
    };
    for (const [i, port] of ports.entries()) {
      const dataDir = path.join(this.dir, `node-${i + 1}`);
      fs.mkdirSync(dataDir);
      this.nodes.push(new NodeProcess(`node-${i + 1}`, port, dataDir, env, this.opts.entry));
    }
    this.cleanups.push(() => Promise.all(this.nodes.map((n) => n.stop('SIGKILL'))).then(() => undefined));
    // The first start creates the schema, the administrator and the signing key; the others find them.
    await this.nodes[0]!.start();
    await Promise.all(this.nodes.slice(1).map((n) => n.start()));
    this.nginx = await startNginx(ports, { listenPort });
    this.cleanups.push(() => this.nginx.stop());
    this.cleanups.push(() => forgetWorld(this.url));
    this.log(`nodes on ${ports.join(', ')}, nginx on ${listenPort}, database ${this.db.name}`);
    // Everything through nginx, as people reach it.
    this.incidentId = await createIncidentAsAdmin(this.url, `Rolling upgrade ${this.tag}`);
  }

  /** Writers and pages, all connected through nginx and under way. */
  async connect(): Promise<void> {
    const url = this.url;
    const names = [
      ...Array.from({ length: this.opts.sdkWriters }, (_, i) => ({ name: `sdk-${String(i + 1).padStart(2, '0')}`, role: 'member' as const })),
      ...Array.from({ length: this.opts.restWriters }, (_, i) => ({ name: `rest-${String(i + 1).padStart(2, '0')}`, role: 'member' as const })),
      { name: 'Membre', role: 'member' as const },
      { name: 'Directrice', role: 'director' as const },
      { name: 'Mur de direction', role: 'observer' as const },
    ];
    // A few invitations at a time: each acceptance costs a node an argon2id hash.
    const users: Array<Awaited<ReturnType<typeof createUser>>> = [];
    for (let i = 0; i < names.length; i += 4) {
      const batch = await Promise.all(
        names.slice(i, i + 4).map(async ({ name, role }) => {
          const user = await createUser(url, name);
          const set = await setRole(url, this.incidentId, user.id, role);
          if (set.status !== 200) throw new Error(`role of ${name}: ${set.status}`);
          return user;
        }),
      );
      users.push(...batch);
    }
    const byName = new Map(users.map((u) => [u.name, u]));
    this.log(`${users.length} accounts made`);

    for (let i = 0; i < this.opts.sdkWriters; i++) {
      const user = users[i]!;
      // The SDK's own reconnection settings (backoff and jitter), as an application would use it.
      const client = new CrisisClient({ url, name: user.name, token: user.token });
      this.cleanups.push(() => client.close());
      const statuses: StatusChange[] = [];
      client.onStatus((status) => statuses.push({ at: Date.now(), status }));
      const session = await client.openIncident(this.incidentId);
      await session.whenSynced();
      this.sdk.push({ name: user.name, client, session, statuses });
    }

    this.log(`${this.sdk.length} SDK clients synced`);
    this.browser = await launchChromium();
    const browser = this.browser;
    this.cleanups.push(() => browser.close());
    const roles: Array<[PageRole, string]> = [
      ['member', 'Membre'],
      ['director', 'Directrice'],
      ['wall', 'Mur de direction'],
    ];
    for (const [role, name] of roles) {
      const page = await openWatchedPage(browser, url, role, byName.get(name)!.email, TEST_PASSWORD, this.incidentId);
      this.pages.push(page);
    }
    this.log('pages logged in through nginx');
    await until(() => this.pages.every((p) => currentStatus(p) === 'live'), 'every page live', this.opts.stepTimeoutMs, () => this.describeClients());

    for (const m of this.sdk) this.load.addSdk(m);
    for (let i = 0; i < this.opts.restWriters; i++) {
      const user = users[this.opts.sdkWriters + i]!;
      this.load.addRest(user.name, url, this.incidentId, user.token);
    }
    const t = Date.now();
    await until(() => this.load.writers.every((w) => w.acks.some((a) => a.at >= t)), 'every writer under way', this.opts.stepTimeoutMs, () => this.describeClients());
    this.log(`${this.sdk.length} SDK writers, ${this.opts.restWriters} REST writers, ${this.pages.length} pages under way`);
  }

  /** Each node in turn with SIGTERM, then the busiest with kill -9; measures the reconvergence after the last. */
  async roll(): Promise<void> {
    for (const node of this.nodes) await this.restart(node, 'SIGTERM');
    const victim = await this.busiestNode();
    const before = new Set(this.load.acknowledged().map((a) => a.id));
    const t0 = Date.now();
    const dropped = () => this.sdk.some((m) => m.statuses.some((s) => s.at >= t0 && s.status !== 'live')) || this.pages.some((p) => p.statuses.some((s) => s.at >= t0 && s.status !== 'live'));
    const clients = until(() => dropped() && this.clientsHold(before), `every client live again, holding what was acknowledged before the kill of ${victim.name}`, this.opts.stepTimeoutMs, () => this.describeClients()).then(() => Date.now() - t0);
    // Awaited below; until then a failure must not count as unhandled.
    clients.catch(() => undefined);
    let nodes: Promise<number> = Promise.resolve(Number.NaN);
    await this.restart(victim, 'SIGKILL', () => {
      const back = Date.now();
      nodes = until(() => this.nodesHold(before), `every node serving what was acknowledged before the kill of ${victim.name}`, this.opts.stepTimeoutMs).then(() => Date.now() - back);
      nodes.catch(() => undefined);
    });
    this.convergence = { clientsFromKillMs: await clients, nodesFromReturnMs: await nodes };
  }

  /**
   * Stops the writers (their last entries acknowledged), posts a last entry from the member's and
   * the director's page, and waits until every node, SDK client and page shows the same log.
   * Returns what each of them shows, whether or not it converged (the caller asserts).
   */
  async finish(): Promise<{ converged: boolean; reason: string; view: FinalView }> {
    this.load.stop();
    await until(() => this.load.writers.every((w) => w.finished), "every writer's last entry acknowledged", this.opts.stepTimeoutMs, () => this.describeClients()).catch((err: unknown) => this.log(String(err)));
    const member = this.pages.find((p) => p.role === 'member')!;
    const director = this.pages.find((p) => p.role === 'director')!;
    await postThroughPage(member, this.finalTexts.member);
    await postThroughPage(director, `!!! ${this.finalTexts.director}`);
    let reason = '';
    const converged = await until(() => this.finalConverged(), 'every node, client and page showing the same log', this.opts.stepTimeoutMs, async () => {
      reason = await this.describeFinal();
      return reason;
    }).then(
      () => true,
      (err: unknown) => {
        this.log(String(err));
        return false;
      },
    );
    return { converged, reason, view: await this.finalView() };
  }

  /** The bench's figures (and the test's counts) from what was recorded. */
  report(view: FinalView): RollingReport {
    return rollingReport(this, view);
  }

  async nodeState(node: NodeProcess): Promise<IncidentState> {
    const res = await fetch(`${node.url}/api/incidents/${this.incidentId}`, { headers: { authorization: `Bearer ${await adminToken(this.url)}` }, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) throw new Error(`GET state from ${node.name}: ${res.status}`);
    return (await res.json()) as IncidentState;
  }

  /** Stops a node with `signal`, starts it again, waits until every writer and page is served again. `onBack` runs the moment the node is healthy. */
  private async restart(node: NodeProcess, signal: 'SIGTERM' | 'SIGKILL', onBack?: () => void): Promise<RestartRecord> {
    this.log(`${signal} ${node.name}`);
    const t0 = Date.now();
    const exit = await node.stop(signal);
    this.log(`${node.name} ended after ${exit.ms} ms (code ${exit.code}, signal ${exit.signal})`);
    if (signal === 'SIGTERM' && exit.code !== 0) this.log(`${node.name} did not drain cleanly; its last lines:\n${node.output().split('\n').slice(-12).join('\n')}`);
    await node.start();
    const backAt = Date.now();
    this.log(`${node.name} healthy again`);
    onBack?.();
    // Served again: every writer acknowledged since the node is back, every page live.
    await until(
      () => this.load.writers.every((w) => w.acks.some((a) => a.at >= backAt)) && this.pages.every((p) => currentStatus(p) === 'live'),
      `every writer and page served again after ${signal} of ${node.name}`,
      this.opts.stepTimeoutMs,
      () => this.describeClients(backAt),
    );
    const record: RestartRecord = { node: node.name, signal, t0, exit, backAt, servedAt: Date.now() };
    this.restarts.push(record);
    return record;
  }

  /** The node holding the most sockets (GET /metrics, straight to each node). */
  private async busiestNode(): Promise<NodeProcess> {
    const token = await adminToken(this.url);
    const counts = await Promise.all(
      this.nodes.map(async (n) => {
        const text = await (await fetch(`${n.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
        const line = text.split('\n').find((l) => l.startsWith('crisis_connections '));
        return Number(line?.split(' ')[1] ?? 0);
      }),
    );
    const best = counts.indexOf(Math.max(...counts));
    this.log(`sockets per node: ${counts.join(', ')}`);
    return this.nodes[best]!;
  }

  /** Every SDK client and page live, every SDK copy holding `ids`, every log page counting at least as many entries. */
  private async clientsHold(ids: Set<string>): Promise<boolean> {
    if (!this.sdk.every((m) => m.client.status === 'live' && hasAll(m.session.log.entries(), ids))) return false;
    if (!this.pages.every((p) => currentStatus(p) === 'live')) return false;
    for (const p of this.pages.filter((x) => x.role !== 'wall')) if ((await pageLog(p)).total < ids.size) return false;
    return true;
  }

  /** Every node's REST state holding `ids`. */
  private async nodesHold(ids: Set<string>): Promise<boolean> {
    for (const n of this.nodes) if (!hasAll((await this.nodeState(n)).log, ids)) return false;
    return true;
  }

  private async finalConverged(): Promise<boolean> {
    const view = await this.finalView();
    const ref = view.reference.map((e) => e.id);
    if (!Object.values(this.finalTexts).every((t) => view.reference.some((e) => e.text.endsWith(t)))) return false;
    if (!view.nodes.every((n) => sameList(n.ids, ref))) return false;
    if (!view.sdk.every((s) => s.status === 'live' && s.pending === 0 && sameList(s.ids, ref))) return false;
    const tail = expectedTail(view.reference);
    return view.pages.every(
      (p) =>
        p.status === 'live' &&
        (p.role === 'wall' ? p.alerts.some((a) => a.endsWith(this.finalTexts.director)) : p.total === ref.length && p.ids.length > 0 && isTailOf(p.ids, tail)),
    );
  }

  async finalView(): Promise<FinalView> {
    const states = await Promise.all(this.nodes.map(async (n) => ({ name: n.name, log: n.alive ? (await this.nodeState(n)).log : [] })));
    const pages = await Promise.all(
      this.pages.map(async (p) => {
        const shown = await pageLog(p).catch(() => ({ total: -1, ids: [], texts: [] }));
        return { role: p.role, status: currentStatus(p), total: shown.total, ids: shown.ids, alerts: shown.texts, errors: p.errors };
      }),
    );
    return {
      nodes: states.map((s) => ({ name: s.name, ids: s.log.map((e) => e.id) })),
      sdk: this.sdk.map((m) => ({ name: m.name, status: m.client.status, pending: m.session.pendingCount, ids: m.session.log.entries().map((e) => e.id) })),
      pages,
      reference: states[0]!.log,
    };
  }

  /** Who is not served right now, for failure messages. */
  describeClients(since = 0): string {
    const writers = this.load.writers.filter((w) => !w.acks.some((a) => a.at >= since)).map((w) => `${w.name} (last ack ${w.acks.length ? Date.now() - w.acks[w.acks.length - 1]!.at : '-'} ms ago${w.errors.length ? `, errors ${w.errors.slice(0, 2).join('; ')}` : ''})`);
    const sdk = this.sdk.filter((m) => m.client.status !== 'live').map((m) => `${m.name}: ${m.client.status}, ${m.session.pendingCount} pending`);
    const pages = this.pages.filter((p) => currentStatus(p) !== 'live').map((p) => `page ${p.role}: ${currentStatus(p)}`);
    const nodes = this.nodes.filter((n) => !n.alive).map((n) => `${n.name} down`);
    return [...writers.length ? [`writers without ack: ${writers.join(', ')}`] : [], ...sdk, ...pages, ...nodes].join('; ') || 'everyone served';
  }

  private async describeFinal(): Promise<string> {
    const view = await this.finalView();
    const ref = view.reference.map((e) => e.id);
    const out = [`reference (node-1): ${ref.length} entries`];
    for (const n of view.nodes) if (!sameList(n.ids, ref)) out.push(`${n.name}: ${n.ids.length} entries`);
    for (const s of view.sdk) if (s.status !== 'live' || s.pending > 0 || !sameList(s.ids, ref)) out.push(`${s.name}: ${s.status}, ${s.pending} pending, ${s.ids.length} entries`);
    const tail = expectedTail(view.reference);
    const order = (p: FinalView['pages'][number]) => (p.role === 'wall' || isTailOf(p.ids, tail) ? '' : `, drawn rows not the log's last in its order: ${JSON.stringify(p.ids)} vs ${JSON.stringify(tail.slice(-p.ids.length))}`);
    for (const p of view.pages) out.push(`page ${p.role}: ${p.status}, ${p.total} entries, ${p.ids.length} drawn${p.role === 'wall' ? `, alerts ${JSON.stringify(p.alerts.slice(0, 2))}` : order(p)}`);
    return out.join('; ');
  }
}

async function postThroughPage(p: WatchedPage, text: string): Promise<void> {
  const input = p.page.getByTestId('quick-entry');
  await input.fill(text);
  await input.press('Enter');
}
