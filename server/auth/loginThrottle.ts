import type { AccountStore, ThrottlePolicy } from './accountStore';

const BASE = { baseBlockMs: 2_000, maxBlockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 } as const;

/**
 * Failures before the first block, per account and per client address; then blocks of 2 s,
 * 4 s, 8 s … up to 15 min. A quiet hour forgives past failures.
 */
export const THROTTLE_POLICIES = {
  account: { freeFailures: 5, ...BASE },
  address: { freeFailures: 20, ...BASE },
} as const satisfies Record<string, ThrottlePolicy>;

export type ThrottleScope = keyof typeof THROTTLE_POLICIES;

/** A reserved attempt, or how long to wait. */
export type Reservation = { ok: true } | { ok: false; waitMs: number };

/**
 * Exponential back-off on failed logins, kept in the database so every node sees the same
 * counts. Each attempt is reserved (counted as a failure, and the block it would earn set)
 * atomically BEFORE its password is checked: 300 guesses sent at once see each other's count,
 * so no more of them reach the (slow, argon2) check than the policy allows, on one node or
 * across nodes. While blocked, attempts are refused without any check, so a guesser learns
 * nothing and burns no CPU. A success clears the account's count and gives back the address's
 * reservation, never more (one valid account must not reset an attacker's address).
 */
export class LoginThrottle {
  constructor(private readonly store: AccountStore) {}

  static key(scope: ThrottleScope, value: string): string {
    return `${scope}:${value}`;
  }

  async reserve(scope: ThrottleScope, key: string, now: Date): Promise<Reservation> {
    const r = await this.store.reserveThrottle(key, now, THROTTLE_POLICIES[scope]);
    return r.ok ? { ok: true } : { ok: false, waitMs: Math.max(1, r.blockedUntil.getTime() - now.getTime()) };
  }

  /** The attempt reserved under `key` did not fail (right password, or no verdict yet). */
  async release(scope: ThrottleScope, key: string): Promise<void> {
    await this.store.releaseThrottle(key, THROTTLE_POLICIES[scope]);
  }

  async clear(key: string): Promise<void> {
    await this.store.clearThrottle(key);
  }
}
