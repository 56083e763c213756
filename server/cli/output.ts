import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CliStream } from './io';

/**
 * Where a command writes its result: a file (written as `<file>.partial` and renamed once
 * complete, so an interrupted export never looks finished) or stdout (left open for the process).
 */
export interface Output {
  stream: Writable;
  /** After the writer ended `stream`: makes the result final. */
  commit(): Promise<void>;
  /** On failure: removes what was written. */
  discard(): void;
  describe: string;
}

export function openOutput(file: string | undefined, cwd: string, stdout: CliStream): Output {
  if (!file || file === '-') {
    const pass = new PassThrough();
    pass.pipe(stdout, { end: false });
    return { stream: pass, commit: async () => void (await finished(pass)), discard: () => undefined, describe: 'stdout' };
  }
  const target = path.resolve(cwd, file);
  const partial = `${target}.partial`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const stream = fs.createWriteStream(partial);
  return {
    stream,
    commit: async () => {
      await finished(stream);
      fs.renameSync(partial, target);
    },
    discard: () => fs.rmSync(partial, { force: true }),
    describe: target,
  };
}
