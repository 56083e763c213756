import { runLatencyBench } from './latency';
import { runThroughputBench } from './throughput';
import { runBigdocBench } from './bigdoc';
import { runClientBench } from './client';
import { runExportBench } from './export';
import { runClusterBench } from './cluster';
import { runWatchersBench } from './watchers';
import { runFloorBench } from './floor';
import { runRollingBench } from './rolling';
import { runFloodBench } from './flood';
import { runPeerBench } from './peer';
import { runStormBench } from './storm';
import { runClientViewBench } from './clientView';
import { runStallBench } from './stall';
import { runSnapshotBench } from './snapshot';
import { ZodError } from 'zod';
import { BenchFlagError, parseFlags } from './lib/flags';

/**
 * `npm run bench -- <name> [--flag value ...]`: runs one benchmark and prints one JSON line.
 * Flags are parsed by each benchmark's zod schema; a bad flag is an error with a code.
 */
const BENCHES: Record<string, (flags: Record<string, string>) => Promise<object>> = {
  latency: runLatencyBench,
  throughput: runThroughputBench,
  bigdoc: runBigdocBench,
  client: () => runClientBench(),
  export: runExportBench,
  cluster: runClusterBench,
  watchers: runWatchersBench,
  floor: runFloorBench,
  rolling: runRollingBench,
  flood: runFloodBench,
  peer: runPeerBench,
  storm: runStormBench,
  clientview: runClientViewBench,
  stall: runStallBench,
  snapshot: runSnapshotBench,
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    console.error(`BENCH_UNKNOWN: usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--flag value]`);
    process.exit(2);
  }
  let result: object;
  try {
    result = await bench(parseFlags(rest));
  } catch (err) {
    if (!(err instanceof BenchFlagError || err instanceof ZodError)) throw err;
    const detail = err instanceof ZodError ? err.issues.map((i) => (i.path.length > 0 ? `--${i.path.join('.')}: ` : '') + i.message).join('; ') : err.message;
    console.error(`BENCH_BAD_FLAG: ${detail}`);
    process.exit(2);
  }
  console.log(JSON.stringify(result));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
});
