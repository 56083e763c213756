import { runCli } from './runCli';

/** Entry point of `npx crisis-cell` (through bin/crisis-cell.js). */
export function main(): void {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`crisis-cell: ${String(err)}\n`);
      process.exitCode = 3;
    },
  );
}

if (require.main === module) main();
