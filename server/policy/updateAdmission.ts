import * as Y from 'yjs';
import { ROOTS, parseDocName, type DocPart } from '../../shared/model/parts';
import type { DocumentRoom, UpdateRules } from '../documents/room';
import { ClientUpdate } from '../documents/clientUpdate';
import { AuthoredOrigin } from '../documents/origins';
import { AppError } from '../errors';
import { LIMITS } from '../../shared/protocol/limits';
import type { Principal } from '../auth/principal';
import { journalAuthor } from '../auth/principal';
import { authorFieldHooks } from './authorFields';
import type { ClientBindings } from './clientBindings';
import type { RecentLogInserts } from './logGrace';
import { checkSealedDecisions } from './sealedDecisions';
import { checkDecisionAuthority } from './decisionAuthority';
import { checkSealedDrafts } from './sealedDrafts';
import { checkSealedReports } from './sealedReports';
import { checkReportRules } from './reportRules';
import { VerificationRules } from './verificationRules';
import { placementHooks, type RecordedTimeWindow } from './placementRules';
import { combineInsertChecks } from './combineHooks';
import type { UpdateBudgets } from './updateBudgets';

/** Parts holding records that seal (approved decisions, published reports, sent notifications). */
const SEALING_PARTS: ReadonlySet<DocPart> = new Set<DocPart>(['decisions', 'reports', 'regulatory']);

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
  async admit(room: DocumentRoom, bytes: Uint8Array, principal: Principal, sessionId: string, authority: { mayDecide: boolean } = { mayDecide: false }): Promise<{ durable: Promise<number> }> {
    // A flood of large updates is refused here, before anything is decoded.
    if (bytes.length <= LIMITS.maxUpdateBytes) this.budgets?.checkBytes(room.name, principal.user.id, bytes.length);
    const update = ClientUpdate.decode(bytes);
    const owners = await this.settleOwners(room, update, principal.user.id);
    const origin = new AuthoredOrigin(journalAuthor(principal), sessionId);
    // Inspected and applied in one synchronous call: nothing can change the document in between.
    const apply = () => room.applyClientUpdate(update, origin, this.rules(room, principal, owners, authority));
    // Alone on its journal, a node needs nothing more: no other node commits to the document.
    if (!SEALING_PARTS.has(room.part) || !room.sharedJournal || room.storageDown) return { durable: apply() };
    return this.underLock(room, apply);
  }

  /**
   * The owners of the client ids `update` adds items under: known here, else looked up, and
   * claimed for the sender when nobody has used them yet (first use binds). An id with items
   * but no owner (the server's own writes) stays unowned: the inspection refuses it.
   */
  private async settleOwners(room: DocumentRoom, update: ClientUpdate, userId: string): Promise<Owners> {
    const owners = new Map<number, string>();
    const unknown: number[] = [];
    for (const client of room.clientsAdding(update)) {
      const owner = this.bindings.owner(room.name, client);
      if (owner === undefined) unknown.push(client);
      else owners.set(client, owner);
    }
    if (unknown.length === 0) return owners;
    const fresh = (client: number) => room.read((doc) => Y.getState(doc.store, client)) === 0;
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
    // One per update: it gathers the entries the update inserts, which its verification records may name.
    const now = new Date();
    const verifications = room.part === 'log' ? new VerificationRules(now) : null;
    const count = { records: 0 };
    return {
      guard: {
        checkInsert: combineInsertChecks(
          authorFieldHooks(room.part, principal.user.displayName, verifications),
          placementHooks(room.part, parseDocName(doc).incidentId, now, this.recordedTime, count),
        ),
        judgeDelete:
          room.part === 'log'
            ? (item, placement) => {
                if (placement.container.path[0] !== ROOTS.log || this.bindings.owner(doc, item.id.client) !== userId) return null;
                if (this.recent.withinGrace(doc, item, userId)) return 'allow';
                return { code: 'UPDATE_SEALED', message: 'this log entry is sealed: post an amendment instead' };
              }
            : undefined,
      },
      admit: (ydoc, inspected, bytes) => {
        for (const client of inspected.added.keys()) {
          // Settled before the inspection (what a document has only grows, so no client is added that was not).
          const owner = owners.get(client) ?? this.bindings.owner(doc, client);
          if (owner === undefined) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${client} already has items that are not yours`);
          if (owner !== userId) throw new AppError('UPDATE_FORBIDDEN_CLIENT', `client id ${client} belongs to another user`);
        }
        if (room.part === 'decisions') {
          const refusal = checkSealedDecisions(ydoc, bytes, inspected.touchedRecords) ?? (authority.mayDecide ? null : checkDecisionAuthority(ydoc, bytes, inspected.touchedRecords));
          if (refusal) throw new AppError(refusal.code, refusal.message);
        }
        if (room.part === 'regulatory') {
          const refusal = checkSealedDrafts(ydoc, bytes, inspected.touchedRecords);
          if (refusal) throw new AppError(refusal.code, refusal.message);
        }
        if (room.part === 'reports') {
          const refusal = checkSealedReports(ydoc, bytes, inspected.touchedRecords) ?? checkReportRules(ydoc, bytes, principal.user.displayName, new Date(), inspected.fieldWrites);
          if (refusal) throw new AppError(refusal.code, refusal.message);
        }
        const unnamed = verifications?.finish();
        if (unnamed) throw new AppError(unnamed.code, unnamed.message);
        // Last: an update refused for any other reason spends nothing.
        // Records created count, not records edited: each keystroke in a report or a decision is
        // an update to its record, and a typist must never meet a records-per-minute budget (the
        // bytes budget still bounds edits).
        const root = room.part === 'log' ? null : ydoc.getMap(ROOTS[room.part]);
        const created = root === null ? count.records : [...inspected.touchedRecords].filter((r) => !root.has(r)).length;
        this.budgets?.charge(doc, userId, bytes.length, created, inspected.largestRecordBytes);
        if (room.part === 'log') {
          for (const [client, range] of inspected.added) this.recent.record(doc, client, range, userId);
        }
      },
    };
  }
}
