import { displayNameKey } from '../../../shared/auth/displayName';

/**
 * Migration 4 ("unique-display-names") in words, for both backends: each account gets the key of
 * its display name (shared/auth/displayName.ts) in `users.display_name_key`, under a unique index.
 * Accounts made before the rule may share a key: the oldest keeps its name, each later one is
 * renamed "<name> (<first 8 characters of its id>)" so that nobody can be mistaken for someone
 * else from then on (the journal keeps user ids, so their history follows them). Returns the
 * renames to apply, in creation order.
 */
export function planNameKeys(users: Array<{ id: string; displayName: string }>): Array<{ id: string; displayName: string; key: string }> {
  const taken = new Set<string>();
  const out: Array<{ id: string; displayName: string; key: string }> = [];
  for (const u of users) {
    let name = u.displayName;
    let key = displayNameKey(name);
    if (taken.has(key)) {
      name = `${u.displayName.slice(0, 100)} (${u.id.slice(0, 8)})`;
      key = displayNameKey(name);
      for (let n = 2; taken.has(key); n++) {
        name = `${u.displayName.slice(0, 100)} (${u.id.slice(0, 8)}-${n})`;
        key = displayNameKey(name);
      }
    }
    taken.add(key);
    out.push({ id: u.id, displayName: name, key });
  }
  return out;
}
