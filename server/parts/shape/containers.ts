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
  /** The container as the server's document already has it; null when the update creates it. */
  live: Y.AbstractType<any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any -- Yjs types are invariant in their event type
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

/** The live value the server holds under `key` of a map container, if any. */
export function liveMapValue(container: Container, key: string | null): Y.Item | null {
  if (key === null || container.live === null) return null;
  const item = container.live._map.get(key);
  return item && !item.deleted ? item : null;
}

/** Placement of an item that is already integrated in the server's document. */
export function placementOfStoredItem(item: Y.Item): Placement {
  return { container: containerOfType(item.parent as Y.AbstractType<unknown>), key: item.parentSub };
}

function containerOfType(type: Y.AbstractType<any>): Container { // eslint-disable-line @typescript-eslint/no-explicit-any
  const holder = type._item;
  const kind = kindOfType(type);
  if (holder === null) {
    return { path: [Y.findRootTypeKey(type)], kind, live: type };
  }
  const outer = placementOfStoredItem(holder);
  return { path: [...outer.container.path, holder.parentSub ?? '#'], kind, live: type };
}
