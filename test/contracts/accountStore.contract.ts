import { DuplicateNameError, type AccountStore, type ThrottlePolicy, type UserRecord, throttleBlockMs } from '../../server/auth/accountStore';
import { newId } from '../../shared/model/ids';

export interface AccountStoreContractOptions {
  /** Runs SQL on the same database through a connection of its own: proves the audit trail is append-only in the database itself. */
  rawExec?: (sql: string) => Promise<void>;
}

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  const id = newId();
  return {
    id,
    email: `${id}@crisis.test`,
    // Names are unique in a deployment (compared without case or accents): one per test user.
    displayName: `Test ${id}`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    isAdmin: false,
    disabled: false,
    totpSecret: null,
    totpEnabled: false,
    totpLastStep: 0,
    createdAt: new Date(Math.floor(Date.now() / 1000) * 1000),
    ...overrides,
  };
}

/**
 * A whole second captured once per test (see beforeEach), plus an offset. Reading the clock at
 * each call made a value written and the value expected differ by a second whenever a second
 * boundary fell between the two calls: rare alone, frequent under load.
 */
let base = 0;
const ms = (offset: number) => new Date(base + offset);

/** A small policy, so blocks are reached in a few attempts (the server's are in server/auth/loginThrottle.ts). */
const THROTTLE: ThrottlePolicy = { freeFailures: 3, baseBlockMs: 2_000, maxBlockMs: 10_000, forgetAfterMs: 60_000 };

/**
 * What every AccountStore must do, whatever the database. Refusals are asserted by their
 * message or name (see documentStore.contract.ts for why not `toThrow`).
 */
export function describeAccountStoreContract(name: string, open: () => Promise<AccountStore>, options: AccountStoreContractOptions = {}): void {
  describe(`AccountStore contract: ${name}`, () => {
    let store: AccountStore;

    beforeAll(async () => {
      store = await open();
    });

    beforeEach(() => {
      base = Math.floor(Date.now() / 1000) * 1000;
    });

    it('refuses a display name another account holds, whatever its case or accents, on creation and on rename (DuplicateNameError)', async () => {
      const tag = newId();
      const director = user({ displayName: `Dr Anne Martin ${tag}` });
      await store.createUser(director);
      for (const taken of [`Dr Anne Martin ${tag}`, `DR ANNE MARTIN ${tag.toUpperCase()}`, `Dr Anne Mártin ${tag}`, `dr  anne martin ${tag}`]) {
        const impostor = user({ displayName: taken });
        await expect(store.createUser(impostor)).rejects.toBeInstanceOf(DuplicateNameError);
        expect(await store.getUser(impostor.id)).toBeNull();
      }
      const other = user({ displayName: `Mallory ${tag}` });
      await store.createUser(other);
      await expect(store.updateUser(other.id, { displayName: `Dr Anne MARTÍN ${tag}` })).rejects.toBeInstanceOf(DuplicateNameError);
      expect((await store.getUser(other.id))?.displayName).toBe(`Mallory ${tag}`);
      // Renaming oneself to another wording of one's own name is fine; the freed name is free.
      await store.updateUser(director.id, { displayName: `Dr Anne Martín ${tag}` });
      await store.updateUser(director.id, { displayName: `Anne ${tag}` });
      await store.updateUser(other.id, { displayName: `Dr Anne Martin ${tag}` });
      expect((await store.getUser(other.id))?.displayName).toBe(`Dr Anne Martin ${tag}`);
    });

    it('keeps the latest visit of a user per incident, whatever the order the writes land in', async () => {
      const incident = newId();
      const u = newId();
      const v = newId();
      expect(await store.getLastVisit(incident, u)).toBeNull();
      await store.setLastVisits([{ incidentId: incident, userId: u, at: ms(-60_000) }]);
      expect(await store.getLastVisit(incident, u)).toEqual(ms(-60_000));
      // Several at once; a pair given twice keeps the latest.
      await store.setLastVisits([
        { incidentId: incident, userId: u, at: ms(0) },
        { incidentId: incident, userId: v, at: ms(-30_000) },
        { incidentId: incident, userId: u, at: ms(-1_000) },
      ]);
      expect(await store.getLastVisit(incident, u)).toEqual(ms(0));
      expect(await store.getLastVisit(incident, v)).toEqual(ms(-30_000));
      // An earlier departure written after a later visit (two nodes, or racing writes) changes nothing.
      await store.setLastVisits([{ incidentId: incident, userId: v, at: ms(-45_000) }]);
      expect(await store.getLastVisit(incident, v)).toEqual(ms(-30_000));
      await store.setLastVisits([]);
      expect(await store.getLastVisit(incident, u)).toEqual(ms(0));
      expect(await store.getLastVisit(newId(), u)).toBeNull();
      expect(await store.getLastVisit(incident, newId())).toBeNull();
    });

    it('creates, finds, lists and updates users; an e-mail is taken once', async () => {
      const before = await store.countUsers();
      const u = user({ isAdmin: true });
      await store.createUser(u);
      expect(await store.countUsers()).toBe(before + 1);
      expect(await store.getUser(u.id)).toEqual(u);
      expect(await store.getUserByEmail(u.email)).toEqual(u);
      expect(await store.getUser(newId())).toBeNull();
      await expect(store.createUser(user({ email: u.email }))).rejects.toHaveProperty('name', 'DuplicateAccountError');
      await store.updateUser(u.id, { disabled: true, totpSecret: 'ABCDEF', totpEnabled: true, totpLastStep: 123_456_789, displayName: `Renamed ${u.id}` });
      expect(await store.getUser(u.id)).toEqual({ ...u, disabled: true, totpSecret: 'ABCDEF', totpEnabled: true, totpLastStep: 123_456_789, displayName: `Renamed ${u.id}` });
      await store.updateUser(u.id, {});
      expect((await store.listUsers()).map((x) => x.id)).toContain(u.id);
    });

    it('keeps sessions until deleted, one by one or all of a user', async () => {
      const u = user();
      await store.createUser(u);
      const s1 = { idHash: newId() + newId(), userId: u.id, createdAt: ms(0), expiresAt: ms(3_600_000), ip: '10.0.0.1' };
      const s2 = { ...s1, idHash: newId() + newId(), ip: null };
      await store.createSession(s1);
      await store.createSession(s2);
      expect(await store.getSession(s1.idHash)).toEqual(s1);
      expect(await store.deleteSession(s1.idHash)).toBe(true);
      expect(await store.deleteSession(s1.idHash)).toBe(false);
      expect(await store.getSession(s1.idHash)).toBeNull();
      expect(await store.deleteUserSessions(u.id)).toEqual([s2.idHash]);
      expect(await store.getSession(s2.idHash)).toBeNull();
    });

    it('finds tokens by hash, revokes them once, records their use', async () => {
      const u = user();
      await store.createUser(u);
      const t = { id: newId(), userId: u.id, name: 'monitoring', hash: newId() + newId() + newId(), createdAt: ms(0), expiresAt: null, revokedAt: null, lastUsedAt: null };
      await store.createToken(t);
      expect(await store.getTokenByHash(t.hash)).toEqual(t);
      expect(await store.getToken(t.id)).toEqual(t);
      await store.touchToken(t.id, ms(1000));
      expect((await store.getToken(t.id))?.lastUsedAt).toEqual(ms(1000));
      expect(await store.revokeToken(t.id, ms(2000))).toBe(true);
      expect(await store.revokeToken(t.id, ms(3000))).toBe(false);
      expect((await store.listTokens(u.id)).map((x) => [x.id, x.revokedAt])).toEqual([[t.id, ms(2000)]]);
    });

    it('lists pending invitations, with the incident they grant, until used, revoked or expired', async () => {
      const base = { kind: 'invite' as const, displayName: null, isAdmin: false, createdBy: null, usedAt: null, incidentId: null, incidentRole: null };
      const granting = { ...base, hash: newId() + newId(), email: 'a@crisis.test', createdAt: ms(0), expiresAt: ms(60_000), incidentId: newId(), incidentRole: 'member' as const };
      const plain = { ...base, hash: newId() + newId(), email: 'b@crisis.test', createdAt: ms(1), expiresAt: ms(60_000) };
      const used = { ...base, hash: newId() + newId(), email: 'c@crisis.test', createdAt: ms(2), expiresAt: ms(60_000) };
      const old = { ...base, hash: newId() + newId(), email: 'd@crisis.test', createdAt: ms(3), expiresAt: ms(500) };
      const setup = { ...base, kind: 'setup' as const, email: null, hash: newId() + newId(), createdAt: ms(4), expiresAt: ms(60_000) };
      for (const i of [granting, plain, used, old, setup]) await store.createInvitation(i);
      await store.consumeInvitation(used.hash, ms(700));
      const pending = (await store.listPendingInvitations(ms(1000))).filter((i) => [granting, plain, used, old, setup].some((x) => x.hash === i.hash));
      expect(pending).toEqual([granting, plain]);
      expect(await store.revokeInvitation(plain.hash, ms(2000))).toBe(true);
      expect(await store.revokeInvitation(plain.hash, ms(2001))).toBe(false);
      expect(await store.revokeInvitation(setup.hash, ms(2000))).toBe(false);
      expect(await store.consumeInvitation(plain.hash, ms(2002))).toBe(false);
      expect((await store.listPendingInvitations(ms(3000))).map((i) => i.hash).filter((h) => h === plain.hash || h === granting.hash)).toEqual([granting.hash]);
    });

    it('uses a one-time link exactly once, and never after it expired, even when raced', async () => {
      const base = { kind: 'invite' as const, email: 'x@crisis.test', displayName: null, isAdmin: false, createdBy: null, createdAt: ms(0), usedAt: null, incidentId: null, incidentRole: null };
      const live = { ...base, hash: newId() + newId(), expiresAt: ms(60_000) };
      const expired = { ...base, hash: newId() + newId(), expiresAt: ms(-1000) };
      await store.createInvitation(live);
      await store.createInvitation(expired);
      expect(await store.getInvitation(live.hash)).toEqual(live);
      const results = await Promise.all(Array.from({ length: 8 }, () => store.consumeInvitation(live.hash, ms(1000))));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.getInvitation(live.hash))?.usedAt).toEqual(ms(1000));
      expect(await store.consumeInvitation(expired.hash, ms(0))).toBe(false);
      expect(await store.consumeInvitation(newId() + newId(), ms(0))).toBe(false);
    });

    it('sets, changes, lists and removes memberships', async () => {
      const incident = newId();
      const [a, b] = [user(), user()];
      await store.createUser(a);
      await store.createUser(b);
      await store.setMembership({ incidentId: incident, userId: a.id, role: 'director', grantedBy: a.id, grantedAt: ms(0) });
      await store.setMembership({ incidentId: incident, userId: b.id, role: 'member', grantedBy: a.id, grantedAt: ms(1000) });
      await store.setMembership({ incidentId: incident, userId: b.id, role: 'observer', grantedBy: a.id, grantedAt: ms(2000) });
      expect(await store.getMembership(incident, b.id)).toEqual({ incidentId: incident, userId: b.id, role: 'observer', grantedBy: a.id, grantedAt: ms(2000) });
      expect((await store.listMembers(incident)).map((m) => [m.userId, m.role])).toEqual([
        [a.id, 'director'],
        [b.id, 'observer'],
      ]);
      expect((await store.listMemberships(b.id)).map((m) => m.incidentId)).toEqual([incident]);
      expect(await store.removeMembership(incident, b.id)).toBe(true);
      expect(await store.removeMembership(incident, b.id)).toBe(false);
      expect(await store.getMembership(incident, b.id)).toBeNull();
    });

    it('binds a Yjs client id to the first user who claims it, atomically', async () => {
      const doc = `${newId()}:log`;
      const results = await Promise.all([store.claimClients(doc, [1, 2 ** 32 - 1], 'alice'), store.claimClients(doc, [2 ** 32 - 1, 3], 'bob')]);
      const owner = results[0]!.get(2 ** 32 - 1);
      expect(['alice', 'bob']).toContain(owner);
      expect(results[1]!.get(2 ** 32 - 1)).toBe(owner);
      expect(await store.clientOwners(doc, [1, 3, 2 ** 32 - 1, 42])).toEqual(new Map([[1, 'alice'], [3, 'bob'], [2 ** 32 - 1, owner!]]));
      expect(await store.clientOwners(`${newId()}:log`, [1])).toEqual(new Map());
      expect(await store.claimClients(doc, [], 'carol')).toEqual(new Map());
    });

    it('keeps, replaces and clears login throttle records', async () => {
      const key = `account:${newId()}@crisis.test`;
      expect(await store.getThrottle(key)).toBeNull();
      await store.putThrottle({ key, failures: 1, lastFailureAt: ms(0), blockedUntil: null });
      await store.putThrottle({ key, failures: 6, lastFailureAt: ms(1000), blockedUntil: ms(5000) });
      expect(await store.getThrottle(key)).toEqual({ key, failures: 6, lastFailureAt: ms(1000), blockedUntil: ms(5000) });
      await store.clearThrottle(key);
      expect(await store.getThrottle(key)).toBeNull();
    });

    it('reserves concurrent login attempts: exactly the free failures pass, the last of them sets the first block', async () => {
      const key = `account:${newId()}`;
      const now = new Date('2026-03-01T10:00:00.000Z');
      const results = await Promise.all(Array.from({ length: 40 }, () => store.reserveThrottle(key, now, THROTTLE)));
      expect(results.filter((r) => r.ok)).toHaveLength(THROTTLE.freeFailures);
      const blocked = results.filter((r): r is { ok: false; blockedUntil: Date } => !r.ok);
      expect(blocked).toHaveLength(40 - THROTTLE.freeFailures);
      for (const r of blocked) expect(r.blockedUntil.getTime()).toBe(now.getTime() + throttleBlockMs(THROTTLE.freeFailures, THROTTLE));
    });

    it('doubles the block after each further failure up to the maximum; a quiet spell forgives; a release lifts the block under the free count', async () => {
      const key = `address:${newId()}`;
      let t = Date.parse('2026-03-01T11:00:00.000Z');
      const blocks: number[] = [];
      for (let failure = 1; failure <= 7; failure++) {
        expect(await store.reserveThrottle(key, new Date(t), THROTTLE)).toEqual({ ok: true, failures: failure });
        const block = throttleBlockMs(failure, THROTTLE);
        blocks.push(block);
        if (block > 0) {
          // Refused (and not counted) until the block runs out.
          expect(await store.reserveThrottle(key, new Date(t + block - 1), THROTTLE)).toEqual({ ok: false, blockedUntil: new Date(t + block) });
        }
        t += block + 1;
      }
      expect(blocks).toEqual([0, 0, 2_000, 4_000, 8_000, 10_000, 10_000]);
      // A quiet spell: counted from one again.
      expect(await store.reserveThrottle(key, new Date(t + THROTTLE.forgetAfterMs + 1), THROTTLE)).toEqual({ ok: true, failures: 1 });

      const other = `address:${newId()}`;
      const at = new Date('2026-03-01T12:00:00.000Z');
      for (let i = 0; i < THROTTLE.freeFailures; i++) expect((await store.reserveThrottle(other, at, THROTTLE)).ok).toBe(true);
      expect((await store.reserveThrottle(other, at, THROTTLE)).ok).toBe(false);
      await store.releaseThrottle(other, THROTTLE);
      expect(await store.reserveThrottle(other, at, THROTTLE)).toEqual({ ok: true, failures: THROTTLE.freeFailures });
      // Releasing a key never reserved changes nothing.
      const unknown = `address:${newId()}`;
      await store.releaseThrottle(unknown, THROTTLE);
      expect(await store.getThrottle(unknown)).toBeNull();
    });

    it('appends audit records in order and pages through them, per incident or all', async () => {
      const incident = newId();
      const records = Array.from({ length: 5 }, (_, i) => ({ at: ms(i), actor: i === 0 ? null : 'u1', action: `a${i}`, incidentId: i % 2 === 0 ? incident : null, ip: '127.0.0.1', detail: i === 3 ? null : { i, nested: { ok: true } } }));
      await store.appendAudit(records);
      await store.appendAudit([]);
      const mine = await store.listAudit({ incidentId: incident, afterId: 0, limit: 100 });
      expect(mine.map((r) => r.action)).toEqual(['a0', 'a2', 'a4']);
      expect(mine[0]).toMatchObject({ at: ms(0), actor: null, ip: '127.0.0.1', detail: { i: 0, nested: { ok: true } } });
      const all = await store.listAudit({ afterId: mine[0]!.id - 1, limit: 3 });
      expect(all.map((r) => r.action)).toEqual(['a0', 'a1', 'a2']);
      expect((await store.listAudit({ afterId: all[2]!.id, limit: 100 })).map((r) => r.action).slice(0, 2)).toEqual(['a3', 'a4']);
    });

    if (options.rawExec) {
      const rawExec = options.rawExec;
      it('refuses UPDATE and DELETE of audit rows at the database level', async () => {
        await store.appendAudit([{ at: ms(0), actor: 'u1', action: 'kept', incidentId: null, ip: null, detail: null }]);
        await expect(rawExec(`UPDATE audit SET action = 'forged'`)).rejects.toHaveProperty('message', expect.stringMatching(/append-only/));
        await expect(rawExec(`DELETE FROM audit`)).rejects.toHaveProperty('message', expect.stringMatching(/append-only/));
        expect((await store.listAudit({ afterId: 0, limit: 10_000 })).some((r) => r.action === 'kept')).toBe(true);
      });
    }
  });
}
