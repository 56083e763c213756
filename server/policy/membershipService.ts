import { IncidentAction, IncidentRole, roleAllowsAction } from './roles';
import type { MemberView } from '../../shared/auth/schemas';
import type { AccountStore } from '../auth/accountStore';
import type { Principal } from '../auth/principal';
import type { Revocations } from '../auth/revocations';
import type { AuditLog } from '../audit/auditLog';
import { readsReportDrafts } from '../reports/publishedView';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** Roles are re-read from the database at least this often, so a change made on another node applies within it. */
const CACHE_MS = 5_000;
/**
 * A role asked for after this age is still served, and re-read meanwhile: a writer active every
 * few seconds never waits for the database on its updates (on PostgreSQL, a round trip on the
 * path to its ack), and no role is ever served older than CACHE_MS.
 */
const REFRESH_AFTER_MS = 3_000;
const CACHE_MAX = 50_000;

/**
 * Who holds which role in which incident. The creator of an incident becomes its director;
 * directors (and administrators, to recover an incident whose directors are gone) add, change
 * and remove members. An incident always keeps at least one director. Every check goes
 * through `require`, which both REST and the socket layer call for every request and event.
 */
export class MembershipService {
  private readonly cache = new Map<string, { role: IncidentRole | null; at: number }>();
  /**
   * The read of each key in flight, shared by whoever asks while it is recent: one begun more
   * than CACHE_MS ago (a slow or stuck database) is replaced, never joined, so no answer is older
   * than an entry could be. `forget` drops it, so a read begun before a change is never served after it.
   */
  private readonly reading = new Map<string, { read: Promise<IncidentRole | null>; startedAt: number }>();
  /** Background re-reads failing (the database away): said once when they start failing, once when they work again. */
  private refreshFailing = false;

  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditLog,
    private readonly revocations: Revocations,
    private readonly logger: Logger,
  ) {}

  async roleOf(incidentId: string, userId: string): Promise<IncidentRole | null> {
    const key = `${incidentId}/${userId}`;
    const cached = this.cache.get(key);
    const age = cached ? Date.now() - cached.at : Infinity;
    if (cached && age < CACHE_MS) {
      // A failed early re-read changes nothing: the entry expires, and the next ask waits for the database and gets its error.
      if (age >= REFRESH_AFTER_MS) this.read(key, incidentId, userId).catch((err: unknown) => this.refreshFailed(err));
      return cached.role;
    }
    return this.read(key, incidentId, userId);
  }

  /** Reads the role from the database and caches it, unless `forget` dropped this read meanwhile. */
  private read(key: string, incidentId: string, userId: string): Promise<IncidentRole | null> {
    const startedAt = Date.now();
    const inFlight = this.reading.get(key);
    if (inFlight && startedAt - inFlight.startedAt < CACHE_MS) return inFlight.read;
    const current = () => this.reading.get(key)?.read === read;
    const read = this.accounts
      .getMembership(incidentId, userId)
      .then((membership) => {
        const role = membership?.role ?? null;
        if (this.refreshFailing) {
          this.refreshFailing = false;
          this.logger.info('role reads work again');
        }
        if (current()) {
          if (this.cache.size >= CACHE_MAX) this.cache.clear();
          // Aged from when the read began: the database may have changed since.
          this.cache.set(key, { role, at: startedAt });
        }
        return role;
      })
      .finally(() => {
        if (current()) this.reading.delete(key);
      });
    this.reading.set(key, { read, startedAt });
    return read;
  }

  private refreshFailed(err: unknown): void {
    if (this.refreshFailing) return;
    this.refreshFailing = true;
    this.logger.warn({ err: String(err) }, 'role re-reads are failing: roles are served from the cache, then each check waits for the database and fails with it');
  }

  /** The caller's role if it allows `action`; FORBIDDEN otherwise (a non-member learns nothing more). */
  async require(principal: Principal, incidentId: string, action: IncidentAction): Promise<IncidentRole | null> {
    const role = await this.roleOf(incidentId, principal.user.id);
    if (roleAllowsAction(role, action)) return role;
    if (action === 'manage' && principal.user.isAdmin) return role;
    throw new AppError('FORBIDDEN', role === null ? 'you are not a member of this incident' : `a${/^[aeiou]/.test(role) ? 'n' : ''} ${role} may not ${ACTION_WORDS[action]}`);
  }

  /** The incident's creator becomes its director. */
  async grantCreator(incidentId: string, principal: Principal, ip: string | null): Promise<void> {
    await this.accounts.setMembership({ incidentId, userId: principal.user.id, role: 'director', grantedBy: principal.user.id, grantedAt: new Date() });
    this.forget(incidentId, principal.user.id);
    this.audit.record({ actor: principal.user.id, action: 'member.set', incidentId, ip, detail: { userId: principal.user.id, role: 'director', creator: true } });
  }

  async list(principal: Principal, incidentId: string): Promise<MemberView[]> {
    if (!principal.user.isAdmin) await this.require(principal, incidentId, 'read');
    const members = await this.accounts.listMembers(incidentId);
    const out: MemberView[] = [];
    for (const m of members) {
      const user = await this.accounts.getUser(m.userId);
      if (!user) continue;
      out.push({ userId: m.userId, email: user.email, displayName: user.displayName, role: m.role, grantedBy: m.grantedBy, grantedAt: m.grantedAt.toISOString() });
    }
    return out;
  }

  async set(principal: Principal, incidentId: string, userId: string, role: IncidentRole, ip: string | null): Promise<MemberView> {
    await this.require(principal, incidentId, 'manage');
    const user = await this.accounts.getUser(userId);
    if (!user) throw new AppError('NOT_FOUND', `no user ${userId}`);
    const current = await this.accounts.getMembership(incidentId, userId);
    if (current?.role === 'director' && role !== 'director') await this.keepADirector(incidentId, userId);
    const grantedAt = new Date();
    await this.accounts.setMembership({ incidentId, userId, role, grantedBy: principal.user.id, grantedAt });
    this.forget(incidentId, userId);
    this.audit.record({ actor: principal.user.id, action: 'member.set', incidentId, ip, detail: { userId, role, previous: current?.role ?? null } });
    if (current && readsReportDrafts(current.role) && !readsReportDrafts(role)) this.revocations.emit({ kind: 'readRights', userId, incidentId, reason: `now ${role}` });
    return { userId, email: user.email, displayName: user.displayName, role, grantedBy: principal.user.id, grantedAt: grantedAt.toISOString() };
  }

  /** Removes a member; their open sockets on this incident are closed at once. */
  async remove(principal: Principal, incidentId: string, userId: string, ip: string | null): Promise<void> {
    await this.require(principal, incidentId, 'manage');
    const current = await this.accounts.getMembership(incidentId, userId);
    if (!current) throw new AppError('NOT_FOUND', `user ${userId} is not a member`);
    if (current.role === 'director') await this.keepADirector(incidentId, userId);
    await this.accounts.removeMembership(incidentId, userId);
    this.forget(incidentId, userId);
    this.audit.record({ actor: principal.user.id, action: 'member.remove', incidentId, ip, detail: { userId, previous: current.role } });
    this.revocations.emit({ kind: 'membership', userId, incidentId, code: 'REMOVED_FROM_INCIDENT', reason: 'removed from the incident' });
  }

  /** Incident ids the user is a member of. */
  async incidentsOf(userId: string): Promise<Set<string>> {
    return new Set((await this.accounts.listMemberships(userId)).map((m) => m.incidentId));
  }

  private async keepADirector(incidentId: string, leaving: string): Promise<void> {
    const others = (await this.accounts.listMembers(incidentId)).filter((m) => m.role === 'director' && m.userId !== leaving);
    if (others.length === 0) throw new AppError('CONFLICT', 'an incident keeps at least one director: appoint another first');
  }

  private forget(incidentId: string, userId: string): void {
    const key = `${incidentId}/${userId}`;
    this.cache.delete(key);
    this.reading.delete(key);
  }
}

const ACTION_WORDS: Record<IncidentAction, string> = {
  read: 'read this incident',
  decide: 'approve, reject, supersede or revoke decisions',
  write: 'write to this incident',
  writeMeta: "change this incident's details",
  manage: "manage this incident's members",
  animate: 'run the exercise (clock and injects)',
  readExercise: "read the exercise's chronogram and observations",
  observe: 'record exercise observations',
};
