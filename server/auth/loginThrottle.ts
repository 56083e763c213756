import type { AccountStore, ThrottleRecord } from './accountStore';

/** Failures before the first block, per account and per client address. */
const FREE_FAILURES = { account: 5, address: 20 } as const;
const BASE_BLOCK_MS = 2_000;
const MAX_BLOCK_MS = 15 * 60_000;
/** A quiet hour forgives past failures. */
const FORGET_AFTER_MS = 60 * 60_000;

export type ThrottleScope = keyof typeof FREE_FAILURES;

/**
 * Exponential back-off on failed logins, kept in the database so every node sees the same
 * counts: after the free failures, each further failure doubles the block (2 s, 4 s, 8 s … up
 * to 15 min). While blocked, attempts are refused without even checking the password, so a
 * guesser learns nothing and burns no CPU. A success clears the account's count, never the
 * address's (one valid account must not reset an attacker's address).
 */
export class LoginThrottle {
  constructor(private readonly store: AccountStore) {}

  static key(scope: ThrottleScope, value: string): string {
    return `${scope}:${value}`;
  }

  /** Milliseconds until `key` may try again, or 0. */
  async blockedFor(key: string, now: Date): Promise<number> {
    const r = await this.store.getThrottle(key);
    if (!r?.blockedUntil) return 0;
    return Math.max(0, r.blockedUntil.getTime() - now.getTime());
  }

  async fail(scope: ThrottleScope, key: string, now: Date): Promise<void> {
    const previous = await this.store.getThrottle(key);
    const stale = !previous || now.getTime() - previous.lastFailureAt.getTime() > FORGET_AFTER_MS;
    const failures = stale ? 1 : previous.failures + 1;
    const over = failures - FREE_FAILURES[scope];
    const blockMs = over >= 0 ? Math.min(MAX_BLOCK_MS, BASE_BLOCK_MS * 2 ** Math.min(over, 20)) : 0;
    const record: ThrottleRecord = { key, failures, lastFailureAt: now, blockedUntil: blockMs > 0 ? new Date(now.getTime() + blockMs) : null };
    await this.store.putThrottle(record);
  }

  async clear(key: string): Promise<void> {
    await this.store.clearThrottle(key);
  }
}
