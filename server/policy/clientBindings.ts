import type { AccountStore } from '../auth/accountStore';

/** Documents whose bindings stay cached; beyond it the least recently used are dropped (they reload from the database). */
const MAX_DOCS = 2_000;

/**
 * Which user each Yjs client id of a document belongs to. A client id is bound to the first
 * user whose accepted update brings items under it (atomically in the database, so two nodes
 * agree), and from then on only that user may add items under it. A client id the document
 * already has items for but that nobody owns (the server's own writes, made on someone's
 * behalf) can never be taken over. Bindings are kept per document in memory, loaded on demand.
 */
export class ClientBindings {
  private readonly docs = new Map<string, Map<number, string>>();

  constructor(private readonly accounts: AccountStore) {}

  /** The owner as far as this node knows without asking the database; undefined when unknown here. */
  owner(doc: string, client: number): string | undefined {
    return this.docs.get(doc)?.get(client);
  }

  /**
   * Settles the owners of `clients`: looks them up, and claims for `userId` those that have no
   * owner and no items yet (`isFresh`). Ids with items but no owner stay unowned, and refused.
   * Returns the owners found or claimed (the unowned are absent).
   */
  async resolve(doc: string, clients: number[], userId: string, isFresh: (client: number) => boolean): Promise<Map<number, string>> {
    const known = await this.accounts.clientOwners(doc, clients);
    const fresh = clients.filter((c) => !known.has(c) && isFresh(c));
    const claimed = fresh.length > 0 ? await this.accounts.claimClients(doc, fresh, userId) : new Map<number, string>();
    const owners = new Map([...known, ...claimed]);
    const map = this.mapOf(doc);
    for (const [c, owner] of owners) map.set(c, owner);
    return owners;
  }

  forgetDoc(doc: string): void {
    this.docs.delete(doc);
  }

  private mapOf(doc: string): Map<number, string> {
    let map = this.docs.get(doc);
    if (map) {
      this.docs.delete(doc);
    } else {
      map = new Map();
      if (this.docs.size >= MAX_DOCS) this.docs.delete(this.docs.keys().next().value!);
    }
    this.docs.set(doc, map);
    return map;
  }
}
