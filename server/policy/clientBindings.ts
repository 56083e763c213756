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
   * Settles the owners of `clients`: claims for `userId` those without items yet (`isFresh`),
   * which answers with their owner whoever it is, and looks up the others. Ids with items but no
   * owner stay unowned, and refused. Returns the owners found or claimed (the unowned are absent).
   * One round trip each way, side by side: a first edit waits for one.
   */
  async resolve(doc: string, clients: number[], userId: string, isFresh: (client: number) => boolean): Promise<Map<number, string>> {
    const fresh: number[] = [];
    const used: number[] = [];
    // One pass: an update may bring many ids.
    for (const c of clients) (isFresh(c) ? fresh : used).push(c);
    const none = Promise.resolve(new Map<number, string>());
    const [claimed, known] = await Promise.all([
      fresh.length > 0 ? this.accounts.claimClients(doc, fresh, userId) : none,
      used.length > 0 ? this.accounts.clientOwners(doc, used) : none,
    ]);
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
