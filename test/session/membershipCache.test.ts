import { MembershipService } from '../../server/policy/membershipService';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { MemoryAccountStore } from '../../server/auth/memory/memoryAccountStore';
import { AuditLog } from '../../server/audit/auditLog';
import { Revocations } from '../../server/auth/revocations';
import { createLogger } from '../../server/logger';
import type { Principal } from '../../server/auth/principal';
import type { IncidentRole } from '../../server/policy/roles';
import { freezeClock, type FakeClock } from '../helpers/fakeClock';
import { within } from '../helpers/poll';

// The role cache of the socket and REST checks: a role is re-read early, in the background, so an
// active writer never waits for the database, yet none is served older than five seconds, and a
// change made on this node is never undone by a read that began before it.

const INCIDENT = 'inc-1';
const USER = 'user-1';

let clock: FakeClock;
let accounts: MemoryAccountStore;
let audit: AuditLog;
let members: MembershipService;
let reads: jest.SpyInstance;
let logger: ReturnType<typeof createLogger>;

beforeEach(async () => {
  clock = freezeClock();
  accounts = new MemoryAccountStore(new MemoryStore());
  logger = createLogger('silent', 'membership-cache-test');
  audit = new AuditLog(accounts, logger);
  members = new MembershipService(accounts, audit, new Revocations(), logger);
  await setRole('member');
  reads = jest.spyOn(accounts, 'getMembership');
});

afterEach(async () => {
  clock.restore();
  await audit.close();
  await accounts.close();
});

/** Lets reads that are not held answer (the memory store answers within a turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The next read of the database answers only when `release` is called, with what the database held when it began. */
function holdNextRead(): { release: () => void } {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  reads.mockImplementationOnce(async (incidentId: string, userId: string) => {
    const before = await MemoryAccountStore.prototype.getMembership.call(accounts, incidentId, userId);
    await held;
    return before;
  });
  return { release: () => release() };
}

/** A change made elsewhere (another node): straight into the database, no cache told. */
function setRole(role: IncidentRole): Promise<void> {
  return accounts.setMembership({ incidentId: INCIDENT, userId: USER, role, grantedBy: null, grantedAt: new Date() });
}

test('a role is served from the cache, re-read in the background after three seconds, and the re-read is what the next ask gets', async () => {
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  await setRole('observer');
  clock.advance(2_000);
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  expect(reads).toHaveBeenCalledTimes(1);

  clock.advance(1_500);
  // Still served at once, while a read starts behind it.
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  expect(reads).toHaveBeenCalledTimes(2);
  await settle();
  expect(await members.roleOf(INCIDENT, USER)).toBe('observer');
  expect(reads).toHaveBeenCalledTimes(2);
});

test('no role is served older than five seconds: past it, the ask waits for the database', async () => {
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  await accounts.removeMembership(INCIDENT, USER);
  clock.advance(5_001);
  expect(await members.roleOf(INCIDENT, USER)).toBeNull();
  expect(reads).toHaveBeenCalledTimes(2);
});

test('asks meanwhile share one read', async () => {
  const roles = await Promise.all([members.roleOf(INCIDENT, USER), members.roleOf(INCIDENT, USER), members.roleOf(INCIDENT, USER)]);
  expect(roles).toEqual(['member', 'member', 'member']);
  expect(reads).toHaveBeenCalledTimes(1);
});

test('a read begun before a change made on this node does not put the old role back', async () => {
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  clock.advance(3_500);
  // The background re-read starts, and answers only once the role has changed here.
  const held = holdNextRead();
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  expect(reads).toHaveBeenCalledTimes(2);

  // The user becomes a director of it through this node (the creator's grant forgets the cached role).
  const principal: Principal = { user: { id: USER, email: 'u@example.org', displayName: 'U', isAdmin: false, disabled: false, totpEnabled: false }, via: 'token', credential: 'c', expiresAt: null };
  await members.grantCreator(INCIDENT, principal, null);
  expect(await within(members.roleOf(INCIDENT, USER), 5_000, 'the role after the grant (a dropped read must not be joined)')).toBe('director');
  held.release();
  await settle();
  expect(await members.roleOf(INCIDENT, USER)).toBe('director');
});

test('a role is aged from when its read began, not from when it answered', async () => {
  const held = holdNextRead();
  const first = members.roleOf(INCIDENT, USER);
  clock.advance(4_000);
  held.release();
  expect(await first).toBe('member');
  await setRole('observer');
  // 5.5 s after the read began, 1.5 s after it answered: expired, so the ask waits for the database.
  clock.advance(1_500);
  expect(await members.roleOf(INCIDENT, USER)).toBe('observer');
  expect(reads).toHaveBeenCalledTimes(2);
});

test('a read in flight for more than five seconds (a stuck database) is not joined: a new one begins', async () => {
  holdNextRead(); // never released
  void members.roleOf(INCIDENT, USER);
  await setRole('observer');
  clock.advance(5_001);
  expect(await within(members.roleOf(INCIDENT, USER), 5_000, 'a fresh read beside the stuck one')).toBe('observer');
  expect(reads).toHaveBeenCalledTimes(2);
});

test('a failed background re-read keeps the cached role until it expires; the next ask reads again', async () => {
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  clock.advance(3_500);
  reads.mockRejectedValueOnce(new Error('database away'));
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  await settle();
  expect(reads).toHaveBeenCalledTimes(2);
  await setRole('observer');
  // Still within five seconds of the cached read: served, and re-read again in the background.
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  await settle();
  expect(reads).toHaveBeenCalledTimes(3);
  expect(await members.roleOf(INCIDENT, USER)).toBe('observer');
});

test('failing background re-reads are logged once, and once again when reads work again', async () => {
  const warn = jest.spyOn(logger, 'warn');
  const info = jest.spyOn(logger, 'info');
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  const other = 'user-2';
  await accounts.setMembership({ incidentId: INCIDENT, userId: other, role: 'observer', grantedBy: null, grantedAt: new Date() });
  expect(await members.roleOf(INCIDENT, other)).toBe('observer');
  clock.advance(3_500);
  reads.mockRejectedValueOnce(new Error('database away')).mockRejectedValueOnce(new Error('database away'));
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  expect(await members.roleOf(INCIDENT, other)).toBe('observer');
  await settle();
  expect(reads).toHaveBeenCalledTimes(4);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0]![1])).toMatch(/role re-reads are failing/);
  expect(info).not.toHaveBeenCalled();
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  await settle();
  expect(info).toHaveBeenCalledWith('role reads work again');
  expect(warn).toHaveBeenCalledTimes(1);
});

test('a failed read in the foreground reaches its caller and leaves nothing behind', async () => {
  reads.mockRejectedValueOnce(new Error('database away'));
  await expect(members.roleOf(INCIDENT, USER)).rejects.toThrow('database away');
  expect(await members.roleOf(INCIDENT, USER)).toBe('member');
  expect(reads).toHaveBeenCalledTimes(2);
});
