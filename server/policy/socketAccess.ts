import type { DocName } from '../../shared/model/parts';
import { parseDocName } from '../../shared/model/parts';
import type { WireError } from '../../shared/protocol/errors';
import type { AuditLog } from '../audit/auditLog';
import type { SocketIdentity } from '../auth/socket/socketAuth';
import type { DocumentRoom } from '../documents/room';
import type { IncidentService } from '../incidents/incidentService';
import { checkAwareness } from './awarenessRules';
import { mayDecide } from './decisionAuthority';
import { AppError } from '../errors';
import type { ClientBindings } from './clientBindings';
import type { MembershipService } from './membershipService';
import { roleAllowsAction, writeActionFor, type IncidentRole } from './roles';
import { readsReportDrafts } from '../reports/publishedView';
import type { UpdateStages } from '../documents/updateStages';
import type { UpdateAdmission } from './updateAdmission';

/** Refused updates a connection gets audited one by one; past that they are counted and audited once, at disconnect. */
const AUDITED_REFUSALS = 20;

/** Per-connection bookkeeping of what was audited. */
export interface AuditCounters {
  incidentsJoined: Set<string>;
  refused: number;
}

/**
 * The permission check behind every socket event: join needs a role in the incident (and is
 * audited once per incident per connection), a Yjs update needs a writing role for the part
 * (the metadata is the director's) and then passes the update admission, presence needs a
 * role and may only speak for the sender.
 */
export class SocketAccess {
  constructor(
    private readonly incidents: IncidentService,
    private readonly members: MembershipService,
    private readonly admission: UpdateAdmission,
    private readonly bindings: ClientBindings,
    private readonly audit: AuditLog,
    /** Where refused joins are counted (an AuditAggregator: one row per source per window). */
    private readonly refusals: Pick<AuditLog, 'record'> = audit,
    /** Documents one socket may have joined at once (QUOTA_EXCEEDED past it). */
    private readonly maxDocsPerSocket = Infinity,
  ) {}

  /**
   * Whether `who` may join `doc`, and what of it they read: the whole document, or (a reports
   * document, for a role that does not read drafts) its published view, so drafts never reach
   * them at join nor in any later broadcast (server/reports/publishedView.ts).
   */
  async join(who: SocketIdentity, doc: DocName, counters: AuditCounters, joined: ReadonlySet<string> = new Set()): Promise<{ published: boolean; writes: boolean }> {
    const { incidentId, part } = parseDocName(doc);
    if (!joined.has(doc) && joined.size >= this.maxDocsPerSocket) {
      throw new AppError('QUOTA_EXCEEDED', `a connection may hold at most ${this.maxDocsPerSocket} documents: leave one first`);
    }
    await this.incidents.requireIncident(incidentId);
    let role: IncidentRole | null;
    try {
      role = await this.members.require(who.principal, incidentId, 'read');
    } catch (err) {
      this.refusals.record({ actor: who.principal.user.id, action: 'join.refused', incidentId, ip: who.ip, detail: { doc } });
      throw err;
    }
    if (!counters.incidentsJoined.has(incidentId)) {
      counters.incidentsJoined.add(incidentId);
      this.audit.record({ actor: who.principal.user.id, action: 'join', incidentId, ip: who.ip, detail: { via: who.principal.via } });
    }
    return { published: part === 'reports' && !readsReportDrafts(role), writes: roleAllowsAction(role, writeActionFor(part)) };
  }

  /**
   * Binds the client id a writing member joined with to them now (`writes` from `join`), so
   * their first edit finds it bound instead of waiting for the database. The same first-use
   * rule as an update's (UpdateAdmission.bindAtJoin); null when its owner is known here already.
   */
  bindAtJoin(who: SocketIdentity, room: DocumentRoom, client: number): Promise<boolean> | null {
    return this.admission.bindAtJoin(room, client, who.principal.user.id);
  }

  async update(who: SocketIdentity, room: DocumentRoom, bytes: Uint8Array, sessionId: string, stages?: UpdateStages): Promise<{ durable: Promise<number> }> {
    const role = await this.members.require(who.principal, room.incidentId, writeActionFor(room.part));
    // Read before admission (an await the room cannot do); a director's change of the setting applies from the next update.
    const decide = room.part === 'decisions' && mayDecide(role, role === 'member' && (await this.incidents.membersMayApprove(room.incidentId)));
    return this.admission.admit(room, bytes, who.principal, sessionId, { mayDecide: decide }, stages);
  }

  async awareness(who: SocketIdentity, room: DocumentRoom, bytes: Uint8Array): Promise<void> {
    await this.members.require(who.principal, room.incidentId, 'read');
    checkAwareness(this.bindings, room.name, bytes, who.principal.user.id, who.principal.user.displayName);
  }

  /** Audits a refused update (capped per connection). */
  refusedUpdate(who: SocketIdentity, doc: DocName | null, error: WireError, bytes: number, counters: AuditCounters): void {
    counters.refused += 1;
    if (counters.refused > AUDITED_REFUSALS) return;
    this.audit.record({
      actor: who.principal.user.id,
      action: 'update.refused',
      incidentId: doc ? parseDocName(doc).incidentId : null,
      ip: who.ip,
      detail: { doc, code: error.code, message: error.message.slice(0, 300), bytes },
    });
  }

  /** Audits the first message refused for rate on a connection (the rest of the burst is not worth a row each). */
  rateLimited(who: SocketIdentity): void {
    this.audit.record({ actor: who.principal.user.id, action: 'rate.limited', ip: who.ip });
  }

  disconnected(who: SocketIdentity, counters: AuditCounters): void {
    if (counters.refused > AUDITED_REFUSALS) {
      this.audit.record({ actor: who.principal.user.id, action: 'update.refused.more', ip: who.ip, detail: { notAuditedOneByOne: counters.refused - AUDITED_REFUSALS } });
    }
  }
}
