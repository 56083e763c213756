import type { LogEntry } from '../../../shared/model/log';
import type { Exit } from './nodeProcess';
import { ackGap, type WriterLoad } from './rollingLoad';
import { offlineSpans, type PageRole, type WatchedPage } from './rollingPages';

/**
 * What a rolling upgrade (./rolling.ts) records, and the figures drawn from it: the bench
 * (bench/rolling.ts) prints them, the test (test/cluster/rollingUpgrade.test.ts) asserts on them.
 */

export interface RestartRecord {
  node: string;
  signal: 'SIGTERM' | 'SIGKILL';
  /** Date.now() when the signal was sent, the process had ended, it was healthy again, every client was served again. */
  t0: number;
  exit: Exit;
  backAt: number;
  servedAt: number;
}

/** After the last restart (kill -9), until everything acknowledged before the kill is everywhere again. */
export interface Convergence {
  /**
   * From the kill until every SDK client and page that lost its connection is live again (on
   * another node) and every client holds every entry acknowledged before the kill (pages: as
   * many entries). Clients do not wait for the killed node to come back.
   */
  clientsFromKillMs: number;
  /** From the killed node's return (healthy) until every node, that one included, serves every such entry over REST. */
  nodesFromReturnMs: number;
}

export interface FinalView {
  /** Each node's log, by REST straight to the node. */
  nodes: Array<{ name: string; ids: string[] }>;
  sdk: Array<{ name: string; status: string; pending: number; ids: string[] }>;
  pages: Array<{ role: PageRole; status: string; total: number; ids: string[]; alerts: string[]; errors: string[] }>;
  /** node-1's log as entries, the reference. */
  reference: LogEntry[];
}

export interface RollingReport {
  nodes: number;
  sdkWriters: number;
  restWriters: number;
  pages: number;
  paceMs: number;
  restarts: Array<{ node: string; signal: string; exitCode: number | null; stopMs: number; downMs: number; servedAgainMs: number }>;
  /** The longest time any writer or page was without service. */
  longestWithoutServiceMs: number;
  longestWriterGapMs: { sdk: number; rest: number; sigterm: number; kill: number };
  longestPageOfflineMs: number;
  reconvergenceAfterLastRestartMs: Convergence;
  acknowledged: number;
  lost: number;
  duplicated: number;
  stranded: number;
  /** REST posts without an answer (their node went away mid-request), and how many of those are in the log anyway. */
  restUnacknowledged: number;
  restUnacknowledgedLanded: number;
}

/** What the report reads from a run (RollingCluster provides it). */
export interface RecordedRun {
  readonly opts: { readonly sdkWriters: number; readonly restWriters: number; readonly paceMs: number };
  readonly nodes: readonly unknown[];
  readonly load: WriterLoad;
  readonly pages: readonly WatchedPage[];
  readonly restarts: readonly RestartRecord[];
  readonly convergence: Convergence | null;
  readonly finalTexts: Readonly<Record<'member' | 'director', string>>;
}

/** The bench's figures (and the test's counts) from what a run recorded. */
export function rollingReport(run: RecordedRun, view: FinalView): RollingReport {
  const acked = run.load.acknowledged();
  const finalIds = view.reference.map((e) => e.id);
  const idCount = countBy(finalIds);
  const textCount = countBy(view.reference.map((e) => e.text));
  const inLog = new Set(finalIds);
  const pageTexts = Object.values(run.finalTexts).filter((t) => view.reference.some((e) => e.text.endsWith(t)));
  const gaps = run.restarts.flatMap((r) => run.load.writers.map((w) => ({ kind: w.kind, signal: r.signal, gap: ackGap(w.acks, r.t0) ?? Number.POSITIVE_INFINITY })));
  const maxOf = (xs: number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
  const now = Date.now();
  const pageOffline = maxOf(run.pages.flatMap((p) => offlineSpans(p).map((s) => (s.to ?? now) - s.from)));
  const writerGap = maxOf(gaps.map((g) => g.gap));
  const unacked = run.load.writers.flatMap((w) => w.unacknowledged);
  const loggedTexts = new Set(view.reference.map((e) => e.text));
  return {
    nodes: run.nodes.length,
    sdkWriters: run.opts.sdkWriters,
    restWriters: run.opts.restWriters,
    pages: run.pages.length,
    paceMs: run.opts.paceMs,
    restarts: run.restarts.map((r) => ({ node: r.node, signal: r.signal, exitCode: r.exit.code, stopMs: r.exit.ms, downMs: r.backAt - r.t0, servedAgainMs: r.servedAt - r.t0 })),
    longestWithoutServiceMs: Math.max(writerGap, pageOffline),
    longestWriterGapMs: {
      sdk: maxOf(gaps.filter((g) => g.kind === 'sdk').map((g) => g.gap)),
      rest: maxOf(gaps.filter((g) => g.kind === 'rest').map((g) => g.gap)),
      sigterm: maxOf(gaps.filter((g) => g.signal === 'SIGTERM').map((g) => g.gap)),
      kill: maxOf(gaps.filter((g) => g.signal === 'SIGKILL').map((g) => g.gap)),
    },
    longestPageOfflineMs: pageOffline,
    reconvergenceAfterLastRestartMs: run.convergence ?? { clientsFromKillMs: Number.NaN, nodesFromReturnMs: Number.NaN },
    acknowledged: acked.length + pageTexts.length,
    lost: acked.filter((a) => !inLog.has(a.id)).length,
    duplicated: [...idCount.values(), ...textCount.values()].filter((n) => n > 1).length,
    stranded: view.pages.filter((p) => p.status !== 'live').length + view.sdk.filter((s) => s.status !== 'live' || s.pending > 0).length,
    restUnacknowledged: unacked.length,
    restUnacknowledgedLanded: unacked.filter((t) => loggedTexts.has(t)).length,
  };
}

function countBy(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
