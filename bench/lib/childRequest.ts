import type { ChildProcess } from 'node:child_process';

/**
 * Sends `message` (if any) to a bench child process and resolves with the first reply that has
 * `key`; rejects on a reply with `error` or if the child exits first.
 */
export function requestChild<T = Record<string, unknown>>(child: ChildProcess, message: object | null, key: string, label = 'bench process'): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${label} exited with ${code}`));
    const onMessage = (m: Record<string, unknown>) => {
      if (m.error) reject(new Error(String(m.error)));
      else if (key in m) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}

/** Resolves once `predicate` holds, checked whenever a listener of `listeners` is called. */
export function untilTrue(predicate: () => boolean, listeners: Set<() => void>, timeoutMs: number, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      listeners.delete(check);
      reject(new Error(`BENCH_TIMEOUT: ${label}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      listeners.delete(check);
      resolve();
    };
    listeners.add(check);
  });
}
