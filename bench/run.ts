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
};

function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`BENCH_BAD_FLAG: expected --name value, got ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    flags[key!] = inline ?? args[++i] ?? '';
  }
  return flags;
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    console.error(`BENCH_UNKNOWN: usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--flag value]`);
    process.exit(2);
  }
  const result = await bench(parseFlags(rest));
  console.log(JSON.stringify(result));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
});
