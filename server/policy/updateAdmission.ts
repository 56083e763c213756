import { parseDocName } from '../../shared/model/parts';
import type { DocumentRoom, UpdateRules } from '../documents/room';
import { ClientUpdate } from '../documents/clientUpdate';
import { AuthoredOrigin } from '../documents/origins';
import { AppError } from '../errors';
import { LIMITS } from '../../shared/protocol/limits';
import type { Principal } from '../auth/principal';
import { journalAuthor } from '../auth/principal';
import type { ClientBindings } from './clientBindings';
import type { RecentLogInserts } from './logGrace';
import type { RecordedTimeWindow } from '../parts/partModule';
import { partModule } from '../parts/registry';
import type { UpdateStages } from '../documents/updateStages';
import type { UpdateBudgets } from './updateBudgets';

/** Who owns each client id an update adds items under, as settled before its inspection. */
type Owners = ReadonlyMap<number, string>;

/**
 * Applies a client's Yjs update under its sender's identity, after the room's guard and these
 * rules: every client id the update adds items under must belong to the sender (first use
 * binds it); author fields name the sender; sealed decisions, published reports and sent notification drafts stay as they are; a log entry may
 * be withdrawn only by its author within the grace period. The journal records the sender's
 * user id. One way, one inspection: the update is decoded (bytes that do not decode claim
 * nothing), the owners of the client ids it adds are settled (looked up, and claimed on first
 * use: the only await), then the room inspects it against these rules and applies it at once.
 */
export class UpdateAdmission {
  constructor(
    private readonly bindings: ClientBindings,
    private readonly recent: RecentLogInserts,
    private readonly recordedTime: RecordedTimeWindow = { aheadMs: 120_000, behindMs: 900_000 },
    private readonly budgets: UpdateBudgets | null = null,
  ) {}

  /**
   * Resolves once the update is applied (or throws if refused); `durable` then resolves with its
   * journal seq. `authority.mayDecide`: the sender may change a decision's status
   * (decisionAuthority.ts); false when not said.
   */
  async admit(room: DocumentRoom, bytes: Uint8Array, principal: Principal, sessionId: string, authority: { mayDecide: boolean } = { mayDecide: false }, stages?: UpdateStages): Promise<{ durable: Promise<number> }> {
    // A flood of large updates is refused here, before anything is decoded.
    if (bytes.length <= LIMITS.maxUpdateBytes) this.budgets?.checkBytes(room.name, principal.user.id, bytes.length);
    const update = ClientUpdate.decode(bytes);
    stages?.mark('decoded');
    const owners = await this.settleOwners(room, room.clientsAdding(update), principal.user.id);
    stages?.mark('ownersSettled');
    const origin = new AuthoredOrigin(journalAuthor(principal), sessionId);
    // Inspected and applied in one synchronous call: nothing can change the document in between.
    const apply = () => room.applyClientUpdate(update, origin, this.rules(room, principal, owners, authority), stages);
    // Alone on its journal, a node needs nothing more: no other node commits to the document.
    if (!partModule(room.part).seals || !room.sharedJournal || room.storageDown) return { durable: apply() };
    return this.underLock(room, apply);
  }

  /**
   * Binds `client` to `userId` ahead of their first edit, by the same rule as an update's (a
   * joining member's copy names the id it writes under). Null when its owner is known here
   * already (nothing to ask the database); else resolves whether it is theirs now, or rejects
   * with STORAGE_UNAVAILABLE when the database is away (their first edit then claims it).
   */
  bindAtJoin(room: DocumentRoom, client: number, userId: string): Promise<boolean> | null {
    if (this.bindings.owner(room.name, client) !== undefined) return null;
    return this.settleOwners(room, [client], userId).then((owners) => owners.get(client) === userId);
  }

  /**
   * The owners of `clients` (the ids an update adds items under): known here, else looked up,
   * and claimed for `userId` when nobody has used them yet (first use binds). An id with items
   * but no owner (the server's own writes) stays unowned: the inspection refuses it.
   */
  private async settleOwners(room: DocumentRoom, clients: number[], userId: string): Promise<Owners> {
    const owners = new Map<number, string>();
    const unknown: number[] = [];
    for (const client of clients) {
      const owner = this.bindings.owner(room.name, client);
      if (owner === undefined) unknown.push(client);
      else owners.set(client, owner);
    }
    if (unknown.length === 0) return owners;
    const fresh = (client: number) => room.clientClock(client) === 0;
    const settled = await this.bindings.resolve(room.name, unknown, userId, fresh).catch((cause: unknown) => {
      if (cause instanceof AppError) throw cause;
      // The claim could not be stored (database away): nothing was applied, and the same update will pass once it is back.
      throw new AppError('STORAGE_UNAVAILABLE', 'the client id could not be registered: send the update again shortly', undefined, cause);
    });
    for (const [client, owner] of settled) owners.set(client, owner);
    return owners;
  }

  /**
   * Sealing parts on a shared journal: inspected and applied under the document's lock, against
   * a copy caught up with every node's commits, and holding the lock until durable, so that
   * another node cannot admit an edit to a record this one just sealed (nor this one to a record
   * sealed elsewhere). Resolves once applied; `durable` is the commit's own (the writer's ack
   * does not wait for the lock's release).
   */
  private underLock(room: DocumentRoom, apply: () => Promise<number>): Promise<{ durable: Promise<number> }> {
    return new Promise((resolve, reject) => {
      let applied = false;
      const applyOnce = () => {
        const durable = apply();
        applied = true;
        resolve({ durable });
        return durable;
      };
      room.exclusive(async () => applyOnce()).catch((err: unknown) => {
        // Once applied, `durable` says how the commit went.
        if (applied) return;
        // A refusal stands. The lock or the catch-up failing is the store being away: then the
        // update is admitted as every other part's is, kept in memory until the store is back.
        if (!(err instanceof AppError) || err.code !== 'STORAGE_UNAVAILABLE') return reject(err);
        try {
          applyOnce();
        } catch (refusal) {
          reject(refusal);
        }
      });
    });
  }

  private rules(room: DocumentRoom, principal: Principal, owners: Owners, authority: { mayDecide: boolean }): UpdateRules {
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
        for (const client of inspected.added.keys()) {
          // Settled before the inspection (what a document has only grows, so no client is added that was not).
          const owner = owners.get(client) ?? this.bindings.owner(doc, client);
          if (owner === undefined) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${client} already has items that are not yours`);
          if (owner !== userId) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${client} belongs to another user`);
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
