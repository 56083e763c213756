import * as Y from 'yjs';

/**
 * Where an item lives, described without Yjs internals: the path of keys from the root type
 * to the container, the container's kind, and the key inside a map (null in a sequence).
 */
export type ContainerKind = 'map' | 'array' | 'text' | 'other';

export interface Container {
  /** Root type name first, then the map keys leading to the container. */
  path: string[];
  kind: ContainerKind;
}

export interface Placement {
  container: Container;
  key: string | null;
}

export function kindOfType(type: unknown): ContainerKind {
  if (type instanceof Y.Map) return 'map';
  if (type instanceof Y.Text) return 'text';
  if (type instanceof Y.Array) return 'array';
  return 'other';
}

/** Placement of an item that is already integrated in the server's document. */
export function placementOfStoredItem(item: Y.Item): Placement {
  return { container: containerOfType(item.parent as Y.AbstractType<unknown>), key: item.parentSub };
}

function containerOfType(type: Y.AbstractType<unknown>): Container {
  const holder = type._item;
  const kind = kindOfType(type);
  if (holder === null) {
    return { path: [Y.findRootTypeKey(type)], kind };
  }
  const outer = placementOfStoredItem(holder);
  return { path: [...outer.container.path, holder.parentSub ?? '#'], kind };
}
