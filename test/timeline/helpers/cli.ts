import { Writable } from 'node:stream';
import { runCli } from '../../../server/cli/runCli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (binary exports). */
  bytes: Buffer;
}

class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Runs the CLI in this process, as `crisis-cell <argv>` with `env` (DATA_DIR ...), capturing its output. */
export async function cli(argv: string[], env: Record<string, string>, options: { tty?: boolean; cwd?: string } = {}): Promise<CliRun> {
  const stdout = new Capture(options.tty ?? false);
  const stderr = new Capture(options.tty ?? false);
  const code = await runCli(argv, { stdout, stderr, env: { LOG_LEVEL: 'warn', ...env }, cwd: options.cwd ?? process.cwd() });
  return { code, stdout: stdout.buffer.toString('utf8'), stderr: stderr.buffer.toString('utf8'), bytes: stdout.buffer };
}
