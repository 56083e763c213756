import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { z } from 'zod';
import { chromium, type Page } from 'playwright-core';
import { ConfigSchema } from '../server/config';
import { startServer } from '../server/createServer';
import { BENCH_ADMIN, BenchAuth } from './lib/auth';
import { seedManyEntries } from './lib/seedLog';

export const ClientBenchOptionsSchema = z
  .object({
    entries: z.coerce.number().int().min(1).max(200_000).default(10_000),
    batch: z.coerce.number().int().min(1).max(10_000).default(1_000),
    scrollFrames: z.coerce.number().int().min(10).max(2_000).default(300),
    scrollStepPx: z.coerce.number().min(1).max(10_000).default(150),
    chromium: z.string().default('/usr/bin/chromium'),
  })
  .strict();

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ROOT = path.resolve(__dirname, '..');

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Scroll smoothness: from the top, a fixed step per frame, frame intervals recorded. */
function measureScroll(page: Page, frames: number, step: number) {
  return page.evaluate(
    async ({ frames, step }: { frames: number; step: number }) => {
      const el = document.querySelector<HTMLElement>('.vlist')!;
      el.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const stamps: number[] = [];
      const longTasks: number[] = [];
      const observer = 'PerformanceObserver' in window ? new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))) : null;
      try {
        observer?.observe({ entryTypes: ['longtask'] });
      } catch {
        // long tasks not observable here
      }
      let maxRows = 0;
      await new Promise<void>((resolve) => {
        const tick = (ts: number) => {
          stamps.push(ts);
          maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="log-entry"]').length);
          if (stamps.length > frames) return resolve();
          el.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      observer?.disconnect();
      const deltas = stamps.slice(1).map((t, i) => t - stamps[i]!);
      const sorted = [...deltas].sort((a, b) => a - b);
      const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
      return {
        frames: deltas.length,
        scrolledPx: el.scrollTop,
        meanFrameMs: deltas.reduce((a, b) => a + b, 0) / deltas.length,
        p95FrameMs: pct(95),
        longestFrameMs: sorted[sorted.length - 1]!,
        framesOver25ms: deltas.filter((d) => d > 25).length,
        framesOver50ms: deltas.filter((d) => d > 50).length,
        longTasks: longTasks.length,
        maxRowsInDom: maxRows,
      };
    },
    { frames, step },
  );
}

/**
 * The browser client on a big incident: a server seeded with 10,000 log entries, the room
 * opened in headless Chromium. Measures the time from navigation start to the log's entries
 * on screen (cold: nothing in IndexedDB; warm: a reload served from the local copy), the
 * smoothness of a programmatic scroll through the virtualised list (frame times), the rows
 * actually in the DOM, and the time from Enter to the new entry on screen.
 */
export async function runClientBench(raw: Record<string, string> = {}): Promise<object> {
  const opts = ClientBenchOptionsSchema.parse(raw);
  if (!fs.existsSync(opts.chromium)) throw new Error(`BENCH_NO_BROWSER: ${opts.chromium} is missing (apt-get install chromium)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-client-bench-'));
  const webRoot = path.join(work, 'web');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.mjs'), '--out', webRoot, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const bundleGzipBytes = fs.readdirSync(webRoot).reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(webRoot, f)), { level: 9 }).length, 0);

  const server = await startServer(
    ConfigSchema.parse({ port: 0, host: '127.0.0.1', dataDir: path.join(work, 'data'), logLevel: 'silent', webRoot, adminEmail: BENCH_ADMIN.email, adminPassword: BENCH_ADMIN.password }),
  );
  const browser = await chromium.launch({ executablePath: opts.chromium, args: CHROMIUM_ARGS });
  try {
    // Seed: straight into the log room, in batches, as if written over the last hours.
    const seedStart = performance.now();
    const meta = await server.incidents.create({ title: 'Cyberattaque — banc d’essai du client', severity: 'critical', detectedAt: new Date(Date.now() - opts.entries * 2_000).toISOString() }, 'bench');
    await seedManyEntries(server, meta.id, opts.entries, opts.batch);
    const seedMs = performance.now() - seedStart;

    // A member of the incident, logged in: the session cookie its password login got, handed to the browser.
    const auth = await BenchAuth.login(server.url);
    const user = await auth.createUser('Banc d’essai');
    await auth.setRole(meta.id, user.id, 'member');
    const cookie = await auth.sessionCookie(user.email);
    const eq = cookie.indexOf('=');
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: server.url, httpOnly: true, sameSite: 'Strict' }]);
    // tsx (esbuild keepNames) wraps named functions in __name(): give page functions one.
    await context.addInitScript({ content: 'window.__name = function (f) { return f; };' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${server.url}/#/incident/${meta.id}/log`;
    const expected = opts.entries;

    // Time from navigation start (performance.now() origin) to the entries on screen.
    const visible = async (): Promise<{ firstRowMs: number; allMs: number }> => {
      const firstRowMs = await page.waitForFunction(() => (document.querySelector('[data-testid="log-entry"]') ? performance.now() : 0), undefined, { polling: 'raf', timeout: 120_000 });
      const allMs = await page.waitForFunction(
        (n: number) => {
          const count = Number(document.querySelector('[data-testid="log-count"]')?.getAttribute('data-total') ?? 0);
          return count >= n && document.querySelector('[data-testid="log-entry"]') ? performance.now() : 0;
        },
        expected,
        { polling: 'raf', timeout: 120_000 },
      );
      return { firstRowMs: (await firstRowMs.jsonValue()) as number, allMs: (await allMs.jsonValue()) as number };
    };

    await page.goto(url);
    const cold = await visible();
    await page.waitForSelector('[data-testid="connection"][data-status="live"]');
    await page.waitForTimeout(1_500); // let IndexedDB store the document
    await page.reload();
    const warm = await visible();
    await page.waitForSelector('[data-testid="connection"][data-status="live"]');
    await page.waitForTimeout(300);

    const domRows = await page.locator('[data-testid="log-entry"]').count();

    const scroll = await measureScroll(page, opts.scrollFrames, opts.scrollStepPx);

    // Jump to the end (newest), then post: Enter → the new entry on screen.
    const jumpMs = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElement>('.vlist')!;
      const t = performance.now();
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t;
    });
    const input = page.getByTestId('quick-entry');
    await input.fill('Entrée du banc d’essai');
    const postMs = await page.evaluate(async () => {
      const el = document.getElementById('quick-entry') as HTMLInputElement;
      const t = performance.now();
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      return new Promise<number>((resolve) => {
        const check = () => {
          const rows = [...document.querySelectorAll('[data-testid="entry-text"]')];
          if (rows.some((r) => r.textContent === 'Entrée du banc d’essai')) resolve(performance.now() - t);
          else requestAnimationFrame(check);
        };
        check();
      });
    });
    await context.close();

    return {
      bench: 'client',
      entries: expected,
      bundleGzipKb: round(bundleGzipBytes / 1024),
      seedMs: Math.round(seedMs),
      coldFirstRowMs: Math.round(cold.firstRowMs),
      coldAllEntriesVisibleMs: Math.round(cold.allMs),
      warmReloadAllEntriesVisibleMs: Math.round(warm.allMs),
      domRowsAtRest: domRows,
      scroll: {
        frames: scroll.frames,
        stepPxPerFrame: opts.scrollStepPx,
        scrolledPx: Math.round(scroll.scrolledPx),
        meanFrameMs: round(scroll.meanFrameMs),
        p95FrameMs: round(scroll.p95FrameMs),
        longestFrameMs: round(scroll.longestFrameMs),
        framesOver25ms: scroll.framesOver25ms,
        framesOver50ms: scroll.framesOver50ms,
        longTasks: scroll.longTasks,
        maxRowsInDom: scroll.maxRowsInDom,
      },
      jumpToNewestMs: round(jumpMs),
      postToVisibleMs: round(postMs),
      pageErrors: errors,
    };
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runClientBench(Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string])))
    .then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
