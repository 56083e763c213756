import * as Y from 'yjs';
import { AppError as GuardError } from '../../errors';

type Struct = Y.Item | Y.GC | Y.Skip;

export interface DeleteRange {
  client: number;
  clock: number;
  len: number;
}

/**
 * A Yjs v1 update decoded without touching any document, with lookups by id over its own
 * structs. Decoding errors of any kind (truncated bytes, unknown content refs) become
 * UPDATE_MALFORMED here, before anything is applied.
 */
export class DecodedUpdate {
  readonly structs: Struct[];
  readonly deletes: DeleteRange[];
  private readonly byClient = new Map<number, Struct[]>();

  constructor(bytes: Uint8Array) {
    let decoded: ReturnType<typeof Y.decodeUpdate>;
    try {
      decoded = Y.decodeUpdate(bytes);
    } catch (cause) {
      throw new GuardError('UPDATE_MALFORMED', 'the update could not be decoded', undefined, cause);
    }
    this.structs = decoded.structs;
    this.deletes = [];
    for (const [client, items] of decoded.ds.clients) {
      for (const d of items) this.deletes.push({ client, clock: d.clock, len: d.len });
    }
    for (const s of this.structs) {
      const list = this.byClient.get(s.id.client) ?? [];
      list.push(s);
      this.byClient.set(s.id.client, list);
    }
    for (const list of this.byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  }

  clients(): Iterable<[number, Struct[]]> {
    return this.byClient.entries();
  }

  /** The struct of this update that contains `id`, if any (Skip structs hold nothing). */
  find(id: Y.ID): Y.Item | Y.GC | null {
    const list = this.byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s instanceof Y.Skip ? null : s;
    }
    return null;
  }
}
