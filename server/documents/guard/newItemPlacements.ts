import * as Y from 'yjs';
import { AppError as GuardError } from '../../errors';
import { Container, Placement, kindOfType, placementOfStoredItem } from './containers';
import type { DecodedUpdate } from './decodedUpdate';

/**
 * Where the items an update brings would land, found without applying it: through their parent
 * (a root, an item the server has, or another new item) or, for an item whose parent is implied,
 * through a neighbour. Each item is placed once; items that lead back to themselves are refused.
 */
export class NewItemPlacements {
  private readonly placements = new Map<Y.Item, Placement>();
  private readonly visiting = new Set<Y.Item>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly update: DecodedUpdate,
  ) {}

  private known(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  of(item: Y.Item): Placement {
    const cached = this.placements.get(item);
    if (cached) return cached;
    if (this.visiting.has(item)) throw new GuardError('UPDATE_MALFORMED', 'items refer to each other in a cycle');
    this.visiting.add(item);
    let placement: Placement;
    const parent = item.parent as unknown;
    if (typeof parent === 'string') {
      const root = this.doc.share.get(parent);
      placement = { container: { path: [parent], kind: root ? kindOfType(root) : item.parentSub !== null ? 'map' : 'array', live: root ?? null }, key: item.parentSub };
    } else if (parent instanceof Y.ID) {
      placement = { container: this.containerOfId(parent), key: item.parentSub };
    } else {
      const neighbour = item.origin ?? item.rightOrigin;
      if (!neighbour) throw new GuardError('UPDATE_MALFORMED', 'item has neither parent nor neighbours');
      placement = this.placementOfId(neighbour);
    }
    this.visiting.delete(item);
    this.placements.set(item, placement);
    return placement;
  }

  private placementOfId(id: Y.ID): Placement {
    if (id.clock < this.known(id.client)) {
      const stored = Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
      if (!(stored instanceof Y.Item)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', 'refers to collected content');
      return placementOfStoredItem(stored);
    }
    const own = this.update.find(id);
    if (!(own instanceof Y.Item)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', `refers to unknown item ${id.client}:${id.clock}`);
    return this.of(own);
  }

  private containerOfId(id: Y.ID): Container {
    if (id.clock < this.known(id.client)) {
      const stored = Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
      if (!(stored instanceof Y.Item) || !(stored.content instanceof Y.ContentType)) throw new GuardError('UPDATE_INVALID_CONTENT', 'parent is not a shared type');
      const outer = placementOfStoredItem(stored);
      return { path: [...outer.container.path, stored.parentSub ?? '#'], kind: kindOfType(stored.content.type), live: stored.content.type };
    }
    const own = this.update.find(id);
    if (!(own instanceof Y.Item) || !(own.content instanceof Y.ContentType)) throw new GuardError('UPDATE_MISSING_DEPENDENCIES', 'parent is unknown or not a shared type');
    const outer = this.of(own);
    return { path: [...outer.container.path, own.parentSub ?? '#'], kind: kindOfType(own.content.type), live: null };
  }
}
