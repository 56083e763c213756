import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface Baseline {
  commit: string;
  /** The checkout: spawnServer(env, { root }) runs its compiled server. */
  root: string;
  remove(): void;
}

/**
 * An older commit of this repository, checked out beside this one (`git worktree add` into a
 * temporary folder), with this checkout's node_modules hard-linked in (no download) and its
 * server compiled, so a bench can run it and today's server in the same run.
 */
export function prepareBaseline(commit: string): Baseline {
  if (!/^[0-9a-f]{7,40}$/i.test(commit)) throw new Error(`BENCH_BAD_FLAG: --baseline must be a commit hash, got ${commit}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-baseline-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  const full = git('rev-parse', '--verify', `${commit}^{commit}`);
  fs.rmdirSync(root);
  git('worktree', 'add', '--detach', root, full);
  const remove = () => {
    try {
      git('worktree', 'remove', '--force', root);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(root, 'node_modules')]);
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (err) {
    remove();
    throw err;
  }
  return { commit: full, root, remove };
}
