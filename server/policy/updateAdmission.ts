import * as Y from 'yjs';
import { parseDocName } from '../../shared/model/parts';
import type { DocumentRoom, UpdateRules } from '../documents/room';
import { AuthoredOrigin } from '../documents/origins';
import { AppError } from '../errors';
import { LIMITS } from '../../shared/protocol/limits';
import type { Principal } from '../auth/principal';
import { journalAuthor } from '../auth/principal';
import type { ClientBindings } from './clientBindings';
import type { RecentLogInserts } from './logGrace';
import type { RecordedTimeWindow } from '../parts/partModule';
import { partModule } from '../parts/registry';
import type { UpdateBudgets } from './updateBudgets';

/** Thrown inside `admit` when client ids must be looked up or claimed first (an await the room cannot do). */
class UnboundClients extends Error {
  constructor(readonly clients: number[]) {
    super('client ids to resolve');
  }
}

/**
 * Applies a client's Yjs update under its sender's identity, after the room's guard and these
 * rules: every client id the update adds items under must belong to the sender (first use
 * binds it); author fields name the sender; sealed decisions, published reports and sent notification drafts stay as they are; a log entry may
 * be withdrawn only by its author within the grace period. The journal records the sender's
 * user id. On a client id's first use the update is inspected twice (before the database
 * claim, so garbage never claims anything, and again after, since the document may have moved).
 */
export class UpdateAdmission {
  constructor(
    private readonly bindings: ClientBindings,
    private readonly recent: RecentLogInserts,
    private readonly recordedTime: RecordedTimeWindow = { aheadMs: 120_000, behindMs: 900_000 },
    private readonly budgets: UpdateBudgets | null = null,
  ) {}

  /** Resolves once the update is applied (or throws if refused); `durable` then resolves with its journal seq. */
  /** `authority.mayDecide`: the sender may change a decision's status (decisionAuthority.ts); false when not said. */
  async admit(room: DocumentRoom, bytes: Uint8Array, principal: Principal, sessionId: string, authority: { mayDecide: boolean } = { mayDecide: false }): Promise<{ durable: Promise<number> }> {
    // Alone on its journal, a node checks and applies with no await in between: nothing can race.
    if (!partModule(room.part).seals || !room.sharedJournal || room.storageDown) return this.admitNow(room, bytes, principal, sessionId, authority);
    // Sealing parts: under the document's lock, against a copy caught up with every node's
    // commits, and holding the lock until durable, so that another node cannot admit an edit to
    // a record this one just sealed (nor this one to a record sealed elsewhere).
    let applied = false;
    let whenApplied!: () => void;
    const appliedNow = new Promise<void>((resolve) => (whenApplied = resolve));
    const admitted = async () => {
      const { durable } = await this.admitNow(room, bytes, principal, sessionId, authority);
      applied = true;
      whenApplied();
      return durable;
    };
    const durable = room.exclusive(admitted).catch((err: unknown) => {
      // A refusal stands. The lock or the catch-up failing is the store being away: then the
      // update is admitted as every other part's is, kept in memory until the store is back.
      if (applied || !(err instanceof AppError) || err.code !== 'STORAGE_UNAVAILABLE') throw err;
      return admitted();
    });
    await Promise.race([appliedNow, durable]);
    return { durable };
  }

  private async admitNow(room: DocumentRoom, bytes: Uint8Array, principal: Principal, sessionId: string, authority: { mayDecide: boolean }): Promise<{ durable: Promise<number> }> {
    const origin = new AuthoredOrigin(journalAuthor(principal), sessionId);
    // A flood of large updates is refused here, before anything is decoded.
    if (bytes.length <= LIMITS.maxUpdateBytes) this.budgets?.checkBytes(room.name, principal.user.id, bytes.length);
    try {
      return { durable: room.applyClientUpdate(bytes, origin, this.rules(room, principal, false, authority)) };
    } catch (err) {
      if (!(err instanceof UnboundClients)) throw err;
      const fresh = (client: number) => room.read((doc) => Y.getState(doc.store, client)) === 0;
      await this.bindings.resolve(room.name, err.clients, principal.user.id, fresh).catch((cause: unknown) => {
        if (cause instanceof AppError) throw cause;
        // The claim could not be stored (database away): nothing was applied, and the same update will pass once it is back.
        throw new AppError('STORAGE_UNAVAILABLE', 'the client id could not be registered: send the update again shortly', undefined, cause);
      });
      return { durable: room.applyClientUpdate(bytes, origin, this.rules(room, principal, true, authority)) };
    }
  }

  private rules(room: DocumentRoom, principal: Principal, settled: boolean, authority: { mayDecide: boolean }): UpdateRules {
    const userId = principal.user.id;
    const doc = room.name;
    // One per update: a part's rules may gather what the update brings (the log's entries, which its verification records may name).
    const part = partModule(room.part).admission({
      doc,
      incidentId: parseDocName(doc).incidentId,
      userId,
      displayName: principal.user.displayName,
      now: new Date(),
      recordedTime: this.recordedTime,
      mayDecide: authority.mayDecide,
      ownerOf: (client) => this.bindings.owner(doc, client),
      recentLog: this.recent,
    });
    return {
      guard: { checkInsert: part.checkInsert, judgeDelete: part.judgeDelete },
      admit: (ydoc, inspected, bytes) => {
        const unbound: number[] = [];
        for (const client of inspected.added.keys()) {
          const owner = this.bindings.owner(doc, client);
          if (owner === undefined) unbound.push(client);
          else if (owner !== userId) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${client} belongs to another user`);
        }
        if (unbound.length > 0) {
          if (settled) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${unbound[0]} already has items that are not yours`);
          throw new UnboundClients(unbound);
        }
        // The part's record rules: sealed records, who decides, report publication, verification records' entries.
        const refusal = part.check?.(ydoc, bytes, inspected);
        if (refusal) throw new AppError(refusal.code, refusal.message);
        // Last: an update refused for any other reason spends nothing.
        // Records created count, not records edited: each keystroke in a report or a decision is
        // an update to its record, and a typist must never meet a records-per-minute budget (the
        // bytes budget still bounds edits).
        this.budgets?.charge(doc, userId, bytes.length, part.created(ydoc, inspected), inspected.largestRecordBytes);
        part.admitted?.(inspected);
      },
    };
  }
}
