import { type ThrottlePolicy, type ThrottleRecord, type ThrottleReservation, throttleBlockMs } from '../accountStore';

/**
 * One login attempt reserved against `current` (AccountStore.reserveThrottle), the rule the SQL
 * stores apply: refused while a block runs (and not counted); otherwise counted as a failure, from
 * one again after a quiet `forgetAfterMs`, with the block that failure earns. Returns the answer
 * and the row to keep (none when refused).
 */
export function reserveAttempt(current: ThrottleRecord | null, key: string, now: Date, policy: ThrottlePolicy): { reservation: ThrottleReservation; record: ThrottleRecord | null } {
  const t = now.getTime();
  const stale = current === null || t - current.lastFailureAt.getTime() > policy.forgetAfterMs;
  if (!stale && current.blockedUntil !== null && current.blockedUntil.getTime() > t) {
    return { reservation: { ok: false, blockedUntil: new Date(current.blockedUntil.getTime()) }, record: null };
  }
  const failures = stale ? 1 : current.failures + 1;
  const block = throttleBlockMs(failures, policy);
  return {
    reservation: { ok: true, failures },
    record: { key, failures, lastFailureAt: new Date(t), blockedUntil: block > 0 ? new Date(t + block) : null },
  };
}

/** Gives back one reserved attempt (AccountStore.releaseThrottle): the block goes once the count is under the free failures. */
export function releaseAttempt(record: ThrottleRecord, policy: ThrottlePolicy): ThrottleRecord {
  return {
    ...record,
    failures: Math.max(record.failures - 1, 0),
    blockedUntil: record.failures - 1 < policy.freeFailures ? null : record.blockedUntil,
  };
}
