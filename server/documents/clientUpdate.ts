import * as Y from 'yjs';
import type { DocPart } from '../../shared/model/parts';
import { LIMITS } from '../../shared/protocol/limits';
import { AppError } from '../errors';
import { DecodedUpdate } from './guard/decodedUpdate';
import { GuardHooks, InspectedUpdate, fieldsStillThere, inspectUpdate } from './guard/updateGuard';
import { checkRecordsRead } from './guard/readerVisibility';
import { partModule } from '../parts/registry';

/**
 * Per-sender rules for one client update, supplied by the caller (server/policy): hooks inside
 * the guard, and `admit`, which sees the inspected update just before it is applied and may
 * still refuse it by throwing. Both run synchronously, in the one inspection of the update;
 * nothing is applied unless both pass.
 */
export interface UpdateRules {
  guard?: GuardHooks;
  admit?(doc: Y.Doc, inspected: InspectedUpdate, bytes: Uint8Array): void;
}

/**
 * A client's update, decoded once, without any document: bytes that are too large or do not
 * decode are refused here, before anything is looked up or claimed. `reach` says, per client
 * id, the clock its structs reach: what admission reads to settle client-id bindings (an await)
 * before the room inspects the update against its document (no await).
 */
export class ClientUpdate {
  readonly decoded: DecodedUpdate;
  readonly reach = new Map<number, number>();

  private constructor(readonly bytes: Uint8Array) {
    this.decoded = new DecodedUpdate(bytes);
    for (const [client, structs] of this.decoded.clients()) {
      let reach = 0;
      for (const s of structs) if (!(s instanceof Y.Skip)) reach = Math.max(reach, s.id.clock + s.length);
      if (reach > 0) this.reach.set(client, reach);
    }
  }

  /** UPDATE_TOO_LARGE or UPDATE_MALFORMED, or the decoded update. */
  static decode(bytes: Uint8Array): ClientUpdate {
    if (bytes.length > LIMITS.maxUpdateBytes) throw new AppError('UPDATE_TOO_LARGE', `update over ${LIMITS.maxUpdateBytes} bytes`);
    return new ClientUpdate(bytes);
  }

  /** The client ids under which this update brings items `doc` does not have yet. */
  clientsAdding(doc: Y.Doc): number[] {
    return [...this.reach].filter(([client, reach]) => reach > Y.getState(doc.store, client)).map(([client]) => client);
  }
}

/**
 * The one inspection of a client update against the document it is about to be applied to: the
 * guard (shape, dependencies, the sender's hooks), fields that would vanish, content no reader
 * would see, then the sender's last say (`rules.admit`). Throws an AppError on refusal; the
 * document is left untouched either way.
 */
export function inspectClientUpdate(doc: Y.Doc, part: DocPart, update: ClientUpdate, rules: UpdateRules): void {
  const { bytes } = update;
  const module = partModule(part);
  const inspected = inspectUpdate(doc, module.policy, update.decoded, rules.guard);
  if (inspected.mayClear.length > 0) {
    const gone = fieldsStillThere(doc, bytes, inspected.mayClear);
    // A record's field is replaced, never removed: without it the record no longer validates (it would vanish) and its provenance could be written anew.
    if (gone) throw new AppError('UPDATE_FORBIDDEN_DELETE', `${gone}: a field is replaced, never removed`);
  }
  const unread = checkRecordsRead(module, doc, bytes, inspected.touchedRecords);
  if (unread) throw new AppError(unread.code, unread.message);
  rules.admit?.(doc, inspected, bytes);
}
