/** A flag the bench cannot use: reported with its code, exit status 2 (as a bad command line). */
export class BenchFlagError extends Error {
  override name = 'BENCH_BAD_FLAG';
}

export function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new BenchFlagError(`expected --name value, got ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    flags[key!] = inline ?? args[++i] ?? '';
  }
  return flags;
}
