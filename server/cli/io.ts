import type { Writable } from 'node:stream';

/** A stream the CLI writes to, with what it needs to know of a terminal. */
export type CliStream = Writable & { isTTY?: boolean; columns?: number };

/** Everything the CLI touches of its process, so tests can run it in-process. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A usage mistake: exit code 2, message and a hint to `crisis-cell help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2, error: 3 } as const;
